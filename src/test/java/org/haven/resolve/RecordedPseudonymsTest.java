package org.haven.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;

import org.haven.store.Store;
import org.junit.jupiter.api.Test;

/**
 * A pseudonym once recorded is kept by the node (it never changes), so the next file of a patient seen before reads
 * nothing; two nodes still converge on the stored value, never on their own proposal.
 */
class RecordedPseudonymsTest {
    @Test
    void aRecordedPseudonymIsNotReadAgainAndNodesConvergeOnTheStoredOne() throws Exception {
        try (Store store = Store.open("jdbc:h2:mem:recorded" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "", 2)) {
            IdentityStore node1 = new IdentityStore(store), node2 = new IdentityStore(store);
            assertThat(node1.allocate("p", "CHI|0101010101", "P-ONE", "0101010101", IdentityStore.RESOLVED)).isEqualTo("P-ONE");
            assertThat(node2.allocate("p", "CHI|0101010101", "P-TWO", "0101010101", IdentityStore.RESOLVED)).isEqualTo("P-ONE");
            try (Connection c = store.connection(); Statement st = c.createStatement()) {
                st.execute("alter table pseudonym rename to pseudonym_away"); // any read now fails
            }
            assertThat(node1.allocate("p", "CHI|0101010101", "P-ONE", "0101010101", IdentityStore.RESOLVED)).isEqualTo("P-ONE");
            assertThat(node2.allocate("p", "CHI|0101010101", "P-TWO", "0101010101", IdentityStore.RESOLVED)).isEqualTo("P-ONE");
        }
    }
}
