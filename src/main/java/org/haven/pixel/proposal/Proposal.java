package org.haven.pixel.proposal;

import java.util.List;

import org.haven.pixel.Box;

/**
 * A proposed pixel rule for one device and image size: the bands to blank, the bands seen but not proposed (with
 * why), and the held files whose every OCR word falls inside the proposed boxes (they would be released, after
 * blanking and a new OCR check).
 *
 * @param rows       image rows of every file in the group
 * @param columns    image columns
 * @param files      held files of this device and size the proposal was made from
 * @param boxes      boxes to blank (padded, clipped to the image); empty when nothing qualifies
 * @param bands      every band found, proposed or not, most files first
 * @param releasable ids of the files whose words all fall inside {@code boxes}
 */
public record Proposal(int rows, int columns, int files, List<Box> boxes, List<Band> bands, List<String> releasable) {

    public Proposal {
        boxes = List.copyOf(boxes);
        bands = List.copyOf(bands);
        releasable = List.copyOf(releasable);
    }

    public boolean empty() { return boxes.isEmpty(); }

    /**
     * A text band: the padded box around words that clustered together, the number of files with a word in it, and
     * {@code rejected} (null when proposed) saying why it is not in the proposal.
     */
    public record Band(Box box, int files, String rejected) {

        public boolean proposed() { return rejected == null; }
    }
}
