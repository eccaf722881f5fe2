package org.haven.pixel.proposal;

/**
 * How bands are found and kept.
 *
 * @param minFiles       a band must be seen in at least this many files (2: a word in one file is never proposed)
 * @param minShare       ...and in at least this share of the held files of that device and size (0..1)
 * @param gap            word boxes closer than this (pixels) belong to one band; words on one line are also joined
 *                       across a gap of up to one line height (inter-word spaces grow with the font)
 * @param pad            pixels added around each band (OCR boxes hug the glyphs; anti-aliased edges lie outside)
 * @param maxBandShare   a band covering more than this share of the image is not proposed
 * @param maxTotalShare  no proposal when the bands together cover more than this share of the image
 */
public record ProposalSettings(int minFiles, double minShare, int gap, int pad, double maxBandShare, double maxTotalShare) {

    public static final ProposalSettings DEFAULT = new ProposalSettings(2, 0.2, 6, 4, 0.25, 0.4);

    public ProposalSettings {
        if (minFiles < 2) throw new IllegalArgumentException("minFiles must be at least 2: a band from one file is that file's text, not the device's");
        if (minShare < 0 || minShare > 1 || maxBandShare <= 0 || maxBandShare > 1 || maxTotalShare <= 0 || maxTotalShare > 1) {
            throw new IllegalArgumentException("shares must lie in (0, 1]");
        }
        if (gap < 0 || pad < 0) throw new IllegalArgumentException("gap and pad must not be negative");
    }
}
