package org.haven.pixel.proposal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.haven.pixel.Box;
import org.junit.jupiter.api.Test;

/** Clustering of OCR word boxes across held files into the text bands a device burns in. */
class TextBandsTest {
    static final ProposalSettings S = ProposalSettings.DEFAULT;

    /** A name line at the top left that varies in length, and a date at the top right, on a 512x512 image. */
    static HeldImage topBanner(String id, int nameWidth, Box... extra) {
        List<Box> words = new ArrayList<>(List.of(new Box(10, 12, 60, 14), new Box(78, 12, nameWidth, 14), new Box(420, 12, 80, 14)));
        words.addAll(List.of(extra));
        return new HeldImage(id, 512, 512, words);
    }

    @Test
    void bandsFromSeveralFilesCoverEveryFilesWords() {
        Proposal p = TextBands.propose(List.of(topBanner("a", 90), topBanner("b", 140), topBanner("c", 60)), S);
        // the name line (words 8 px apart on one line) is one band however long the name; the date another
        assertThat(p.boxes()).containsExactly(new Box(6, 8, 216, 22), new Box(416, 8, 88, 22));
        assertThat(p.bands()).allMatch(b -> b.files() == 3 && b.proposed());
        assertThat(p.releasable()).containsExactly("a", "b", "c");
        assertThat(p.rows()).isEqualTo(512);
        assertThat(p.files()).isEqualTo(3);
    }

    @Test
    void aWordInOneFileOnlyIsNotProposedAndItsFileIsNotReleasable() {
        Box stray = new Box(200, 300, 70, 16); // a word typed on one image, in the middle
        Proposal p = TextBands.propose(List.of(topBanner("a", 90), topBanner("b", 140, stray), topBanner("c", 60), topBanner("d", 70)), S);
        assertThat(p.boxes()).hasSize(2).noneMatch(b -> b.intersects(stray));
        assertThat(p.bands()).filteredOn(b -> !b.proposed()).singleElement()
            .satisfies(b -> assertThat(b.files()).isEqualTo(1))
            .satisfies(b -> assertThat(b.rejected()).contains("seen in 1 of 4"));
        assertThat(p.releasable()).containsExactly("a", "c", "d");
    }

    @Test
    void aBandMustReachTheShareOfFilesToo() {
        List<HeldImage> files = new ArrayList<>();
        for (int i = 0; i < 20; i++) files.add(topBanner("f" + i, 80));
        Box corner = new Box(10, 480, 60, 14);
        files.set(0, topBanner("f0", 80, corner));
        files.set(1, topBanner("f1", 80, corner)); // 2 of 20 files: 10 %, below the 20 % share
        Proposal p = TextBands.propose(files, S);
        assertThat(p.boxes()).hasSize(2).noneMatch(b -> b.intersects(corner));
        assertThat(p.bands()).anyMatch(b -> !b.proposed() && b.rejected().contains("needs 4"));
    }

    @Test
    void oneFileProposesNothing() {
        Proposal p = TextBands.propose(List.of(topBanner("a", 90)), S);
        assertThat(p.empty()).isTrue();
        assertThat(p.releasable()).isEmpty();
    }

    @Test
    void differentImageSizesAreSeparateGroups() {
        HeldImage small = new HeldImage("s", 256, 256, List.of(new Box(10, 12, 60, 14)));
        Map<TextBands.Geometry, List<HeldImage>> groups = TextBands.byGeometry(List.of(topBanner("a", 90), small, topBanner("b", 90)));
        assertThat(groups.keySet()).containsExactly(new TextBands.Geometry(512, 512), new TextBands.Geometry(256, 256));
        assertThat(groups.get(new TextBands.Geometry(512, 512))).extracting(HeldImage::fileId).containsExactly("a", "b");
        // the small image's word at the same place would otherwise have made a band of two files
        assertThat(TextBands.propose(groups.get(new TextBands.Geometry(256, 256)), S).empty()).isTrue();
        assertThatThrownBy(() -> TextBands.propose(List.of(topBanner("a", 90), small), S)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBandCoveringMostOfTheImageIsNotProposed() {
        // a report page: lines of text from top to bottom, in every file; they chain into one band over the image
        List<HeldImage> files = new ArrayList<>();
        for (String id : List.of("r1", "r2", "r3")) {
            List<Box> lines = new ArrayList<>();
            for (int y = 20; y < 480; y += 18) lines.add(new Box(20, y, 460, 14));
            files.add(new HeldImage(id, 512, 512, lines));
        }
        Proposal p = TextBands.propose(files, S);
        assertThat(p.empty()).isTrue();
        assertThat(p.bands()).singleElement().satisfies(b -> assertThat(b.rejected()).contains("of the image (more than 25 %)"));
        assertThat(p.releasable()).isEmpty();
    }

    @Test
    void bandsThatTogetherCoverMostOfTheImageAreNotProposed() {
        // two bands, each under the per-band limit, together over the total limit
        List<HeldImage> files = new ArrayList<>();
        for (String id : List.of("a", "b")) {
            files.add(new HeldImage(id, 100, 100, List.of(new Box(0, 0, 100, 20), new Box(0, 60, 100, 20))));
        }
        Proposal p = TextBands.propose(files, new ProposalSettings(2, 0.2, 6, 2, 0.3, 0.4));
        assertThat(p.empty()).isTrue();
        assertThat(p.bands()).hasSize(2).allMatch(b -> b.rejected().contains("together cover 46 %"));
    }

    @Test
    void boxesArePaddedAndClippedToTheImage() {
        List<HeldImage> files = List.of(new HeldImage("a", 100, 200, List.of(new Box(0, 90, 30, 10))),
            new HeldImage("b", 100, 200, List.of(new Box(2, 91, 20, 9))));
        assertThat(TextBands.propose(files, S).boxes()).containsExactly(new Box(0, 86, 34, 14));
    }

    @Test
    void unionAreaCountsOverlapsOnce() {
        assertThat(TextBands.unionArea(List.of(new Box(0, 0, 10, 10), new Box(5, 5, 10, 10)))).isEqualTo(175.0);
    }

    @Test
    void settingsRefuseBandsFromOneFile() {
        assertThatThrownBy(() -> new ProposalSettings(1, 0.2, 6, 4, 0.25, 0.4)).isInstanceOf(IllegalArgumentException.class);
    }
}
