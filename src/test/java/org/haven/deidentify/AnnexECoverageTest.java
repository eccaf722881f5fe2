package org.haven.deidentify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeTag;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shipped profiles against PS3.15 Annex E table E.1-1 (reference JSON, when present).
 *
 * <p>Allowed substitutions (documented in config/profiles/basic.yaml and the option files):
 * <ul>
 *   <li>basic: a code written as in the standard, or a Haven word with the same resolved action
 *       (D=dummy, Z=empty, ...); PatientName (Z) and PatientID (Z/D) → pseudonym;</li>
 *   <li>option K → keep;</li>
 *   <li>option C → clean, or the specific cleaning Haven chose: clean-text (text), hash (AE titles), shift-date
 *       (dates in Retain Modified Dates), or remove where the value is binary and cannot be cleaned
 *       (CertifiedTimestamp, FrameOriginTimestamp, MakerNote);</li>
 *   <li>private row: basic X → private: X; Retain Safe Private C → private: keep-safe with an allowlist.</li>
 * </ul>
 * Rows an option does not mention must keep basic's rule in that option's profile.
 */
class AnnexECoverageTest {
    static final Path TABLE = Path.of("../shared/reference/confidentiality_profile_attributes.json");
    static final Map<String, String> OPTION_PROFILES = Map.of(
            "rtnSafePrivOpt", "retain-safe-private", "rtnUIDsOpt", "retain-uids", "rtnDevIdOpt", "retain-device-identity",
            "rtnInstIdOpt", "retain-institution-identity", "rtnPatCharsOpt", "retain-patient-characteristics",
            "rtnLongFullDatesOpt", "retain-full-dates", "rtnLongModifDatesOpt", "retain-modified-dates",
            "cleanDescOpt", "clean-descriptors", "cleanStructContOpt", "clean-structured-content", "cleanGraphOpt", "clean-graphics");
    static final Set<String> PSEUDONYM_ROWS = Set.of("(0010,0010)", "(0010,0020)");
    static final Set<String> BINARY_REMOVED_FOR_C = Set.of("(0400,0310)", "(0034,0007)", "(0016,002B)");

    static List<JsonNode> rows;

    @BeforeAll
    static void read() throws Exception {
        assumeTrue(Files.isRegularFile(TABLE), "reference table not present");
        rows = new ArrayList<>();
        new ObjectMapper().readTree(TABLE.toFile()).forEach(rows::add);
    }

    /** The profile's rule for a row of the table (private row → the private rule; wildcards → an example tag). */
    static Rule ruleFor(Profile p, String tag) {
        if (tag.startsWith("(GGGG,EEEE)")) return p.privateRule();
        String concrete = tag.replace('X', '0').replace('x', '0');
        try {
            return p.ruleFor(new AttributeTag(Integer.parseInt(concrete.substring(1, 5), 16), Integer.parseInt(concrete.substring(6, 10), 16)));
        } catch (NumberFormatException e) {
            throw new AssertionError("unparseable tag in table: " + tag);
        }
    }

    @Test
    void everyRowOfTheStandardHasTheBasicAction() {
        Profile basic = Keys.REGISTRY.get("basic");
        assertThat(rows).hasSizeGreaterThanOrEqualTo(600);
        List<String> problems = new ArrayList<>();
        for (JsonNode row : rows) {
            String tag = row.get("tag").asText(), code = row.get("basicProfile").asText();
            Rule r = ruleFor(basic, tag);
            if (r == null) {
                problems.add(tag + " " + row.get("name").asText() + ": no rule (standard: " + code + ")");
            } else if (PSEUDONYM_ROWS.contains(tag)) {
                if (r.action() != Action.PSEUDONYM) problems.add(tag + ": expected pseudonym, got " + r.code());
            } else if (Action.parse(code) != r.action() || r.source().startsWith("(default")) {
                problems.add(tag + " " + row.get("name").asText() + ": standard " + code + ", profile " + r.code() + " at " + r.source());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void eachOptionProfileAppliesItsColumnAndOnlyItsColumn() {
        Profile basic = Keys.REGISTRY.get("basic");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, String> opt : OPTION_PROFILES.entrySet()) {
            Profile p = Keys.REGISTRY.get(opt.getValue());
            assertThat(p).as("profile %s", opt.getValue()).isNotNull();
            assertThat(p.methodCodes()).contains("113100");
            for (JsonNode row : rows) {
                String tag = row.get("tag").asText();
                JsonNode c = row.get(opt.getKey());
                Rule r = ruleFor(p, tag);
                if (c == null || c.isNull()) {
                    Rule b = ruleFor(basic, tag);
                    if (!java.util.Objects.equals(r, b)) problems.add(opt.getValue() + " " + tag + ": changes a row the option does not mention (" + r.code() + " at " + r.source() + ")");
                    continue;
                }
                checked++;
                String msg = check(opt.getKey(), c.asText(), tag, r);
                if (msg != null) problems.add(opt.getValue() + " " + tag + " " + row.get("name").asText() + ": " + msg);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).isGreaterThan(500);
    }

    @Test
    void researchIsBasicPlusCleanDescriptorsStructuredContentModifiedDatesPatientCharacteristicsAndSafePrivate() {
        Profile research = Keys.REGISTRY.get("research"), basic = Keys.REGISTRY.get("basic");
        List<String> problems = new ArrayList<>();
        for (JsonNode row : rows) {
            String tag = row.get("tag").asText();
            Rule r = ruleFor(research, tag);
            String msg;
            if (row.hasNonNull("cleanDescOpt")) msg = check("cleanDescOpt", row.get("cleanDescOpt").asText(), tag, r);
            else if (row.hasNonNull("cleanStructContOpt")) msg = check("cleanStructContOpt", row.get("cleanStructContOpt").asText(), tag, r);
            else if (row.hasNonNull("rtnLongModifDatesOpt")) msg = check("rtnLongModifDatesOpt", row.get("rtnLongModifDatesOpt").asText(), tag, r);
            else if (row.hasNonNull("rtnPatCharsOpt")) msg = check("rtnPatCharsOpt", row.get("rtnPatCharsOpt").asText(), tag, r);
            else if (row.hasNonNull("rtnSafePrivOpt")) msg = check("rtnSafePrivOpt", row.get("rtnSafePrivOpt").asText(), tag, r);
            else msg = java.util.Objects.equals(r, ruleFor(basic, tag)) ? null : "differs from basic: " + r.code() + " at " + r.source();
            if (msg != null) problems.add(tag + ": " + msg);
        }
        assertThat(problems).isEmpty();
        assertThat(research.methodCodes()).containsExactly("113100", "113105", "113104", "113107", "113108", "113111");
        assertThat(research.conflicts()).as("options research combines agree with each other").isEmpty();
        assertThat(research.longitudinalTemporalInformation()).isEqualTo("MODIFIED");
        assertThat(basic.longitudinalTemporalInformation()).isEqualTo("REMOVED");
        assertThat(Keys.REGISTRY.get("retain-full-dates").longitudinalTemporalInformation()).isEqualTo("UNMODIFIED");
    }

    static String check(String column, String code, String tag, Rule r) {
        if (r == null) return "no rule (option: " + code + ")";
        if (code.equals("K")) return r.action() == Action.KEEP ? null : "expected K, got " + r.code();
        if (!code.equals("C")) return "unexpected option code " + code;
        if (tag.startsWith("(GGGG")) return r.action() == Action.CLEAN ? null : "expected keep-safe, got " + r.code();
        Set<Action> ok = switch (column) {
            case "rtnLongModifDatesOpt" -> Set.of(Action.SHIFT_DATE, Action.CLEAN);
            case "rtnDevIdOpt" -> Set.of(Action.HASH, Action.CLEAN);
            default -> Set.of(Action.CLEAN, Action.CLEAN_TEXT);
        };
        if (ok.contains(r.action())) return null;
        if (r.action() == Action.REMOVE && BINARY_REMOVED_FOR_C.contains(tag)) return null;
        return "expected a cleaning action " + ok + ", got " + r.code() + " at " + r.source();
    }
}
