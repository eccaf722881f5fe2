package org.haven.verify;

import org.haven.text.Classifications;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Outcome of one scan: passed when there is no finding. */
public final class VerificationReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<Finding> findings;

    public VerificationReport(List<Finding> findings) {
        this.findings = List.copyOf(findings);
    }

    public boolean passed() { return findings.isEmpty(); }

    public List<Finding> findings() { return findings; }

    /** The most serious classification found (source-identifier, chi, nhs-number, …), or null when passed. */
    public String primaryClassification() {
        return findings.stream().map(Finding::classification)
                .min(Comparator.comparingInt(Classifications::rank).thenComparing(Comparator.naturalOrder()))
                .orElse(null);
    }

    /** Number of findings per classification, most serious first. */
    public Map<String, Integer> countsByClassification() {
        Map<String, Integer> sorted = new TreeMap<>(Comparator.comparingInt(Classifications::rank).thenComparing(Comparator.naturalOrder()));
        for (Finding f : findings) sorted.merge(f.classification(), 1, Integer::sum);
        return new LinkedHashMap<>(sorted);
    }

    /** The report as a map (for embedding in a larger JSON document). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", passed());
        m.put("primaryClassification", primaryClassification());
        m.put("counts", countsByClassification());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("classification", f.classification());
            e.put("ruleId", f.ruleId());
            e.put("attributePath", f.attributePath());
            e.put("offset", f.offset());
            e.put("matchedText", f.matchedText());
            list.add(e);
        }
        m.put("findings", list);
        return m;
    }

    /** JSON: {"passed":…, "primaryClassification":…, "counts":{…}, "findings":[{classification, ruleId, attributePath, offset, matchedText}]}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write report", e);
        }
    }

    @Override
    public String toString() {
        // No matched text here: reports get logged.
        return "VerificationReport[passed=" + passed() + ", counts=" + countsByClassification() + "]";
    }
}
