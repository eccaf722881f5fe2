package org.haven.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Counts kept as change rows and folded into totals. A worker's transaction inserts a row (no lock on a shared
 * total that every other worker would queue on until its commit); {@link #fold} reads the oldest rows, deletes
 * exactly them and adds them to the totals, in one transaction. Readers sum the totals and the rows not folded yet in
 * one statement, so nothing is seen twice or missed. Folds of one table take turns (each locks the table's row in
 * {@code count_fold} first), and a row with a lower id can commit after a higher one was read: the delete of the ids
 * up to the last one read then removes more rows than were read, the fold rolls back, and the next one takes them.
 */
public final class CountFold {
    /** Rows folded per transaction: a fold's locks and memory stay small whatever has piled up. */
    static final int BATCH = 20_000;

    /** What one fold read, and how it adds that to the totals. */
    public interface Batch {
        /** One change row: the columns after {@code id}, in the order given to the fold. */
        void add(ResultSet rs) throws SQLException;

        /** Adds what was read to the totals, in the fold's transaction (in a stable order: folds lock rows alike). */
        void apply(Connection c) throws SQLException;
    }

    private final Store store;
    private final String table;
    private final String read;
    private final String delete;
    private final Supplier<Batch> batches;
    /** Runs between a fold's read and its delete (tests: a change committing there). */
    public volatile Runnable afterRead = () -> { };

    /** Folds the rows of {@code table} ({@code id} and {@code columns}) through a new {@code batches.get()} each time. */
    public CountFold(Store store, String table, String columns, Supplier<Batch> batches) {
        this.store = store;
        this.table = table;
        this.read = "select id, " + columns + " from " + table + " order by id fetch first " + BATCH + " rows only";
        this.delete = "delete from " + table + " where id <= ?";
        this.batches = batches;
    }

    /** Folds every row there is, a batch per transaction; the rows folded. */
    public long fold() throws SQLException {
        long folded = 0;
        while (true) {
            int n = foldOnce();
            if (n <= 0) return folded;
            folded += n;
            if (n < BATCH) return folded;
        }
    }

    /** One batch: the rows folded, 0 when there were none, −1 when the batch was given up. */
    private int foldOnce() throws SQLException {
        try (Connection c = store.connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("select name from count_fold where name = ? for update")) {
                    ps.setString(1, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) throw new SQLException("count_fold has no row for " + table);
                    }
                }
                Batch batch = batches.get();
                long upTo = -1;
                int rows = 0;
                try (PreparedStatement ps = c.prepareStatement(read); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        upTo = rs.getLong(1);
                        rows++;
                        batch.add(rs);
                    }
                }
                if (rows == 0) {
                    c.rollback();
                    return 0;
                }
                afterRead.run();
                try (PreparedStatement ps = c.prepareStatement(delete)) {
                    ps.setLong(1, upTo);
                    if (ps.executeUpdate() != rows) {
                        c.rollback();
                        return -1;
                    }
                }
                batch.apply(c);
                c.commit();
                return rows;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
