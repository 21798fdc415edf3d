package com.flashsale.coupon.adapter.postgres;

import com.flashsale.coupon.domain.port.out.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/** Sorts database failures into those that may pass (an outage) and those that will not (a bug). */
final class SqlFailures {

    /** SQLSTATE classes and codes of failures that may pass when tried again. */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "57", "58");
    private static final Set<String> TRANSIENT_CODES = Set.of("40001", "40P01", "55P03");

    private SqlFailures() {
    }

    static RuntimeException translate(String what, SQLException e) {
        if (isTransient(e)) {
            return new StoreUnavailableException("database unavailable during " + what + ": " + e.getMessage(), e);
        }
        return new IllegalStateException("database refused " + what + ": " + e.getMessage(), e);
    }

    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (TRANSIENT_CODES.contains(state)
                        || (state.length() >= 2 && TRANSIENT_CLASSES.contains(state.substring(0, 2)))) {
                    return true;
                }
            }
        }
        return false;
    }
}
