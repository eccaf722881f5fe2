package org.haven.deidentify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shared real-DICOM corpus (never copied into the repository); tests skip when it is absent. */
final class Corpus {
    static final Path DIR = Path.of("../shared/corpus");

    private Corpus() {}

    record Item(Path file, AttributeList list) {}

    static List<Path> files() throws IOException {
        assumeTrue(Files.isDirectory(DIR), "corpus ../shared/corpus not present");
        try (Stream<Path> s = Files.walk(DIR)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().matches("(?i).*\\.(tsv|md|txt|json|zip|gz)$"))
                    .sorted().toList();
        }
    }

    /** Every corpus file PixelMed reads, header only (up to PixelData). */
    static List<Item> readable() throws IOException {
        List<Item> out = new ArrayList<>();
        for (Path p : files()) {
            AttributeList l = read(p);
            if (l != null) out.add(new Item(p, l));
        }
        return out;
    }

    static AttributeList read(Path p) {
        try {
            AttributeList l = new AttributeList();
            l.setDecompressPixelData(false);
            l.read(p.toString(), TagFromName.PixelData);
            return l.isEmpty() ? null : l;
        } catch (Exception | StackOverflowError e) {
            return null;
        }
    }
}
