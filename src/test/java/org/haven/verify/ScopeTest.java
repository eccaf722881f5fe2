package org.haven.verify;

import org.haven.text.KnownIdentifiers;
import org.haven.text.NameLists;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attribute scoping of rules and allow entries: keyword, tag with wildcards, private, path pattern, VR. */
class ScopeTest {
    @TempDir Path dir;

    private List<String> paths(String ruleScope, AttributeList l) throws Exception {
        Files.writeString(dir.resolve("r.yaml"), "rules:\n  - id: word\n    classification: test-word\n    regex: '\\bsecret\\b'\n" + ruleScope);
        return Verifier.load(dir, NameLists.EMPTY).scan(l, KnownIdentifiers.none(), List.of()).findings().stream().map(Finding::attributePath).toList();
    }

    static AttributeList dataset() {
        AttributeList l = new AttributeList();
        Dicom.put(l, TagFromName.StudyDescription, "secret");
        Dicom.put(l, TagFromName.ImageComments, "a secret");
        Dicom.putPrivate(l, 0x0009, 0x1010, "ACME", "secret");
        Dicom.putPrivate(l, 0x0011, 0x1020, "ACME", "secret");
        l.put(Dicom.sequence(TagFromName.ContentSequence,
                Dicom.put(new AttributeList(), TagFromName.TextValue, "secret"),
                Dicom.put(Dicom.put(new AttributeList(), TagFromName.TextValue, "secret"), TagFromName.CodeMeaning, "secret")));
        return l;
    }

    @Test
    void noScopeScansEverything() throws Exception {
        assertThat(paths("", dataset())).containsExactlyInAnyOrder("StudyDescription", "ImageComments", "(0009,1010)", "(0011,1020)",
                "ContentSequence[1].TextValue", "ContentSequence[2].TextValue", "ContentSequence[2].CodeMeaning");
    }

    @Test
    void keywordTagWildcardPrivateAndPathPatterns() throws Exception {
        assertThat(paths("    apply-to: [ImageComments]\n", dataset())).containsExactly("ImageComments");
        assertThat(paths("    apply-to: ['(0009,xxxx)']\n", dataset())).containsExactly("(0009,1010)");
        assertThat(paths("    apply-to: ['(00x1,1020)']\n", dataset())).containsExactly("(0011,1020)");
        assertThat(paths("    apply-to: [private]\n", dataset())).containsExactlyInAnyOrder("(0009,1010)", "(0011,1020)");
        assertThat(paths("    apply-to: ['ContentSequence[*].TextValue']\n", dataset()))
                .containsExactlyInAnyOrder("ContentSequence[1].TextValue", "ContentSequence[2].TextValue");
        assertThat(paths("    apply-to: ['ContentSequence[2].*']\n", dataset()))
                .containsExactlyInAnyOrder("ContentSequence[2].TextValue", "ContentSequence[2].CodeMeaning");
        assertThat(paths("    exclude: [ContentSequence, private]\n", dataset())).containsExactlyInAnyOrder("StudyDescription", "ImageComments");
        assertThat(paths("    exclude-vr: [LT, UT]\n", dataset())).doesNotContain("ImageComments");
        assertThat(paths("    vr: [LT]\n", dataset())).containsExactly("ImageComments");
    }

    @Test
    void scopedAllowEntry() throws Exception {
        Files.writeString(dir.resolve("s.yaml"), "allow:\n  - id: ok-in-descriptions\n    rules: [word]\n    apply-to: [StudyDescription]\n");
        assertThat(paths("", dataset())).doesNotContain("StudyDescription").contains("ImageComments");
    }
}
