package io.nostrex.store;

import java.sql.SQLException;
import java.util.Set;

/** The database failed; the operation had no effect (its transaction was rolled back) and may be retried. */
public final class StoreException extends RuntimeException {
    /**
     * SQLSTATE classes that say the data itself was refused, so that trying again cannot succeed:
     * data exceptions (22), integrity violations (23), syntax or access rule violations (42), and
     * errors raised by a function or trigger (P0). Every other failure (connections, deadlocks and
     * serialization, resources, shutdowns, timeouts) may pass.
     */
    private static final Set<String> PERMANENT_CLASSES = Set.of("22", "23", "42", "P0");

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the failure lies in what was written, not in the database's state: a retry would fail again. */
    public boolean isPermanent() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2) {
                return PERMANENT_CLASSES.contains(sql.getSQLState().substring(0, 2));
            }
        }
        return false;
    }

    /** The database's own message, for a dead-letter record or a log line. */
    public String reason() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return (sql.getSQLState() == null ? "" : sql.getSQLState() + " ") + sql.getMessage();
            }
        }
        return getMessage();
    }
}
