package org.haven.quarantine;

import java.io.IOException;
import java.sql.SQLException;

import org.apache.camel.Exchange;

/**
 * Tells the routes' error handler whether a failure is the machine's (database or broker unreachable or restarting,
 * disk trouble: wait and retry for as long as it takes) or the file's (a data error the database refuses, a
 * {@link FileFault} such as a message without a body, a truncated stream, a bug: retrying cannot help, so after
 * {@code haven.max-deliveries} deliveries the file is held as internal-error).
 */
public final class FailureKind {
    public boolean isInfrastructure(Exchange exchange) {
        Throwable t = exchange.getException() != null ? exchange.getException() : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SQLException sql) return isTransient(sql);
            if (t instanceof FileFault || isFilesOwn(t)) return false;
            if (t instanceof IOException) return true;
            if (t instanceof jakarta.jms.JMSException || t instanceof org.springframework.jms.JmsException) return true;
        }
        return false;
    }

    /**
     * I/O exceptions that describe the bytes being read, not the disk: a truncated stream, an undecodable charset, a
     * corrupt compressed stream. Retrying the same bytes gives the same answer.
     */
    static boolean isFilesOwn(Throwable t) {
        return t instanceof java.io.EOFException || t instanceof java.nio.charset.CharacterCodingException
            || t instanceof java.util.zip.ZipException || t instanceof java.io.UTFDataFormatException;
    }

    /**
     * SQLState classes that mean "the database is not there or gave up on this transaction": 08 connection, 40
     * rollback/serialisation, 53 insufficient resources, 57 operator intervention (restart), 58 system error; H2's
     * lock timeout, concurrent update (90131: a race on a shared row, such as a device's sighting count in a fate's
     * transaction) and closed-database codes. Data (22), constraint (23) and syntax (42) errors are the file's.
     */
    static boolean isTransient(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            String state = s.getSQLState();
            if (state == null) return true; // drivers omit it for lost connections
            if (state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57")
                || state.startsWith("58") || state.equals("HYT00") || state.equals("90131") || state.equals("90067") || state.equals("90098") || state.equals("90121")) {
                return true;
            }
        }
        return false;
    }
}
