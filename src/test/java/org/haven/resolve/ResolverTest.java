package org.haven.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import org.haven.config.ConfigException;
import org.haven.identifiers.ChiNumber;
import org.haven.store.PseudonymProposal;
import org.haven.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the person's CHI: header identifiers, board conventions, the patient index and an external index. */
class ResolverTest {
    static final String CHI_A = mod11("120485001");
    static final String CHI_B = mod11("030771234");

    @TempDir
    Path tmp;
    Store store;
    PatientIndex index;

    static String mod11(String nine) {
        int c = ChiNumber.mod11CheckDigit(nine);
        if (c < 0) throw new IllegalArgumentException("no modulus-11 digit for " + nine);
        return nine + c;
    }

    @BeforeEach
    void open() {
        store = Store.open("jdbc:h2:mem:resolver" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", 2);
        index = new PatientIndex(store);
    }

    @AfterEach
    void close() { store.close(); }

    IdentityRules rules(String yaml) throws Exception {
        Path f = tmp.resolve("patients.yaml");
        Files.writeString(f, yaml);
        return IdentityRules.load(f);
    }

    static Resolver.PatientIds ids(String issuer, String pid, List<Resolver.Id> seq, List<String> others) {
        return new Resolver.PatientIds(new Resolver.Id(issuer, pid), seq, others);
    }

    @Test
    void chiFromPatientIdOtherIdsAndSequence() throws Exception {
        Resolver r = new Resolver(IdentityRules.defaults(), index, null);
        Resolver.Resolution direct = r.resolve("lothian", ids("", CHI_A.substring(0, 6) + " " + CHI_A.substring(6), List.of(), List.of()));
        assertThat(direct.chi()).contains(CHI_A);
        assertThat(direct.method()).isEqualTo("patient-id");

        String nine = "010203123";
        String luhn = nine + ChiNumber.luhnCheckDigit(nine);
        assertThat(r.resolve("x", ids("CHI", luhn, List.of(), List.of())).chi()).contains(luhn);

        Resolver.Resolution seq = r.resolve("tayside", ids("NHS TAYSIDE", "T014366",
            List.of(new Resolver.Id("NHS TAYSIDE", "T014366"), new Resolver.Id("CHI", CHI_A)), List.of()));
        assertThat(seq.chi()).contains(CHI_A);
        assertThat(seq.method()).isEqualTo("other-ids-sequence");
        assertThat(seq.issuer()).isEqualTo("NHS TAYSIDE");
        assertThat(seq.localId()).isEqualTo("T014366");

        Resolver.Resolution other = r.resolve("tayside", ids("NHS TAYSIDE", "t 014366", List.of(), List.of("junk", CHI_A)));
        assertThat(other.chi()).contains(CHI_A);
        assertThat(other.method()).isEqualTo("other-ids");
        assertThat(other.localId()).isEqualTo("T014366");

        Resolver.Resolution none = r.resolve("tayside", ids("NHS TAYSIDE", "T014366", List.of(), List.of("1234567890")));
        assertThat(none.resolved()).isFalse();
        assertThat(none.method()).isEqualTo("unresolved");
    }

    @Test
    void boardConventionsDecideIssuersAndWhatMayBeAChi() throws Exception {
        IdentityRules rules = rules("""
            boards:
              - board: fife
                default-issuer: nhs fife
                local-issuers: [NHS FIFE, FIFE PAS]
                chi-issuers: [SCI]
            """);
        Resolver r = new Resolver(rules, index, null);
        // a hospital number that happens to validate as a CHI is not read as one under a local issuer
        assertThat(r.resolve("fife", ids("Fife PAS", CHI_A, List.of(), List.of())).resolved()).isFalse();
        assertThat(r.resolve("fife", ids("SCI", CHI_A, List.of(), List.of())).chi()).contains(CHI_A);
        Resolver.Resolution noIssuer = r.resolve("fife", ids("", "F123", List.of(), List.of()));
        assertThat(noIssuer.issuer()).isEqualTo("NHS FIFE");
        assertThat(rules.isChiIssuer("fife", "sci")).isTrue();
        // the default issuer finds the index row of a PatientID sent without IssuerOfPatientID
        importCsv("issuer,local_id,chi\nNHS FIFE,F123," + CHI_B + "\n");
        Resolver.Resolution viaIndex = r.resolve("fife", ids("", "f123", List.of(), List.of()));
        assertThat(viaIndex.chi()).contains(CHI_B);
        assertThat(viaIndex.method()).isEqualTo("index");
    }

    @Test
    void identifiersNamingTwoPeopleAreAConflict() throws Exception {
        importCsv("issuer,local_id,chi\nNHS TAYSIDE,T1," + CHI_B + "\n");
        Resolver r = new Resolver(IdentityRules.defaults(), index, null);
        assertThatThrownBy(() -> r.resolve("tayside", ids("NHS TAYSIDE", "T1", List.of(), List.of(CHI_A))))
            .isInstanceOf(Resolver.ConflictException.class).hasMessageContaining("2 different CHI");
        assertThatThrownBy(() -> r.resolve("x", ids("CHI", CHI_A, List.of(new Resolver.Id("", CHI_B)), List.of())))
            .isInstanceOf(Resolver.ConflictException.class);
        assertThat(r.resolve("tayside", ids("NHS TAYSIDE", "T1", List.of(), List.of(CHI_B))).chi()).contains(CHI_B);
    }

    @Test
    void badRulesNameFileLineAndProblem() throws Exception {
        assertThatThrownBy(() -> rules("unresolved: maybe\n")).isInstanceOf(ConfigException.class)
            .hasMessageContaining("patients.yaml:1:").hasMessageContaining("hold or pseudonymise");
        assertThatThrownBy(() -> rules("boards:\n  - board: a\n    colour: red\n")).isInstanceOf(ConfigException.class)
            .hasMessageContaining("patients.yaml:3:").hasMessageContaining("unknown key 'colour'");
        assertThatThrownBy(() -> rules("boards:\n  - board: a\n    chi-issuers: [X]\n    local-issuers: [x]\n"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("patients.yaml:2:").hasMessageContaining("both");
        assertThatThrownBy(() -> rules("projects:\n  - project: p\n  - project: p\n")).isInstanceOf(ConfigException.class)
            .hasMessageContaining("patients.yaml:3:").hasMessageContaining("twice");
        IdentityRules ok = rules("unresolved: hold\nprojects:\n  - project: open\n    unresolved: pseudonymise\n  - project: link\n    linkage: true\n");
        assertThat(ok.policy("open")).isEqualTo(IdentityRules.Unresolved.PSEUDONYMISE);
        assertThat(ok.policy("link")).isEqualTo(IdentityRules.Unresolved.HOLD);
        assertThat(ok.policy("other")).isEqualTo(IdentityRules.Unresolved.HOLD);
        assertThat(rules("projects:\n  - project: link\n    linkage: true\n").policy("other")).isEqualTo(IdentityRules.Unresolved.PSEUDONYMISE);
        // the shipped file validates
        assertThat(IdentityRules.load(Path.of("config/patients.yaml")).isLinkage("linkage-example")).isTrue();
    }

    @Test
    void indexImportReportsEveryBadRowWithItsLineAndImportsNothing() throws Exception {
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "issuer,local_id,chi\nNHS TAYSIDE,T1," + CHI_A + "\n,T2," + CHI_A + "\nNHS TAYSIDE,T3,1234567890\n"
            + "NHS TAYSIDE,T4\n\nNHS TAYSIDE,t 1," + CHI_B + "\n\"NHS, odd\",T5," + CHI_A + "\n");
        PatientIndex.ImportResult r = index.importCsv(bad);
        assertThat(r.errors()).hasSize(4);
        assertThat(r.errors().get(0)).isEqualTo(bad + ":3: issuer is empty");
        assertThat(r.errors().get(1)).startsWith(bad + ":4: chi is not a valid CHI");
        assertThat(r.errors().get(2)).startsWith(bad + ":5: expected 3 fields");
        assertThat(r.errors().get(3)).startsWith(bad + ":7: the same issuer and local_id as line 2");
        assertThat(String.join("\n", r.errors())).doesNotContain(CHI_A).doesNotContain("1234567890");
        assertThat(index.size()).isZero();

        Path header = tmp.resolve("header.csv");
        Files.writeString(header, "chi,issuer,local_id\n");
        assertThat(index.importCsv(header).errors()).containsExactly(header + ":1: the header must be issuer,local_id,chi");

        PatientIndex.ImportResult first = importCsv("issuer,local_id,chi\nNHS TAYSIDE,T1," + CHI_A + "\n\"NHS, odd\",T5," + CHI_A + "\n");
        assertThat(first.added()).isEqualTo(2);
        PatientIndex.ImportResult again = importCsv("Issuer,Local_ID,CHI\nnhs tayside,T1," + CHI_B + "\nNHS, ODD,T5," + CHI_A + "\n");
        assertThat(again.errors()).hasSize(1); // unquoted comma: 4 fields
        PatientIndex.ImportResult update = importCsv("Issuer,Local_ID,CHI\nnhs tayside,T1," + CHI_B + "\nNHS TAYSIDE,T9," + CHI_A + "\n");
        assertThat(update.errors()).isEmpty();
        assertThat(update.added()).isEqualTo(1);
        assertThat(update.updated()).isEqualTo(1);
        assertThat(index.chiFor("NHS TAYSIDE", "T1")).contains(CHI_B);
        assertThat(index.chiFor("NHS, ODD", "T5")).contains(CHI_A);
        assertThat(index.size()).isEqualTo(3);
    }

    @Test
    void externalIndexIsAskedWhenNothingElseKnowsThePersonAndItsAnswersAreCached() throws Exception {
        String url = "jdbc:h2:mem:mpi" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
            st.execute("create table mpi (hospital varchar(20), number varchar(20), chi_number varchar(12))");
            st.execute("insert into mpi values ('NHS GRAMPIAN', 'A1234567', '" + CHI_A + "'), ('NHS GRAMPIAN', 'A7', 'not-a-chi')");
            try (ExternalIndex external = new ExternalIndex(url, "sa", "", "select chi_number from mpi where hospital = ? and number = ?", 60, 10)) {
                Resolver r = new Resolver(IdentityRules.defaults(), index, external);
                Resolver.Resolution res = r.resolve("grampian", ids("NHS Grampian", "A1234567", List.of(), List.of()));
                assertThat(res.chi()).contains(CHI_A);
                assertThat(res.method()).isEqualTo("external");
                assertThat(r.resolve("grampian", ids("NHS GRAMPIAN", "A7", List.of(), List.of())).resolved()).isFalse();
                st.execute("update mpi set chi_number = '" + CHI_B + "'");
                assertThat(r.resolve("grampian", ids("NHS GRAMPIAN", "A1234567", List.of(), List.of())).chi()).as("cached").contains(CHI_A);
                // the store's own index is consulted first
                importCsv("issuer,local_id,chi\nNHS GRAMPIAN,A1234567," + CHI_B + "\n");
                assertThat(r.resolve("grampian", ids("NHS GRAMPIAN", "A1234567", List.of(), List.of())).method()).isEqualTo("index");
            }
        }
    }

    @Test
    void onePseudonymPerPersonAndProjectAndProjectsAreUnlinkable() throws Exception {
        IdentityStore identities = new IdentityStore(store);
        byte[] key = "k".getBytes();
        String a1 = identities.allocate("p1", IdentityStore.chiKey(CHI_A), PseudonymProposal.propose(key, "p1", "CHI|" + CHI_A), CHI_A, "resolved");
        String again = identities.allocate("p1", IdentityStore.chiKey(CHI_A), "HZZZZZZZZZZZZ", CHI_A, "resolved");
        String a2 = identities.allocate("p2", IdentityStore.chiKey(CHI_A), PseudonymProposal.propose(key, "p2", "CHI|" + CHI_A), CHI_A, "resolved");
        assertThat(again).isEqualTo(a1);
        assertThat(a1).matches("H[0-9A-HJKMNP-TV-Z]{12}").isNotEqualTo(a2);
        assertThat(identities.status("p1", "CHI|" + CHI_A)).contains("resolved");
    }

    private PatientIndex.ImportResult importCsv(String text) throws Exception {
        Path f = Files.createTempFile(tmp, "index", ".csv");
        Files.writeString(f, text);
        return index.importCsv(f);
    }
}
