package com.flashsale.coupon.adapter.postgres;

import com.flashsale.coupon.domain.port.in.OutcomeUnknownException;
import com.flashsale.coupon.domain.port.out.StoreUnavailableException;
import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.connection.exceptions.NoConnectionException;
import io.micronaut.transaction.exceptions.CannotCreateTransactionException;
import io.micronaut.transaction.exceptions.TransactionSystemException;
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

    /**
     * What a failure of {@code what} means to the caller. Micronaut Data wraps the driver's
     * {@link SQLException} (in a {@code DataAccessException}, or a {@code CannotCreateTransactionException}
     * when no connection could be had), so the cause chain is searched; a failure without one is
     * not the database's and is returned as it is.
     */
    static RuntimeException translate(String what, RuntimeException failure) {
        SQLException sql = null;
        for (Throwable t = failure; t != null && sql == null; t = t.getCause()) {
            if (t instanceof SQLException found) {
                sql = found;
            }
        }
        if (sql == null) {
            return failure;
        }
        if (failedCommit(failure) && isTransient(sql)) {
            // the commit may have reached the server before the connection went: nobody knows
            return new OutcomeUnknownException("connection lost while committing " + what
                    + "; it may or may not have taken effect: " + sql.getMessage(), failure);
        }
        if (isTransient(sql) || lostConnection(failure)) {
            return new StoreUnavailableException("database unavailable during " + what + ": " + sql.getMessage(), failure);
        }
        return new IllegalStateException("database refused " + what + ": " + sql.getMessage(), failure);
    }

    /** Micronaut Data's word for a failed {@code COMMIT}. */
    private static boolean failedCommit(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TransactionSystemException && String.valueOf(t.getMessage()).contains("commit")) {
                return true;
            }
        }
        return false;
    }

    /** No connection could be had, or the one the pool gave was dead: nothing was done. */
    private static boolean lostConnection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoConnectionException) {
                return false; // a bug: a statement outside any transaction
            }
            if (t instanceof ConnectionException || t instanceof CannotCreateTransactionException) {
                return true;
            }
        }
        return false;
    }

    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Throwable suppressed : t.getSuppressed()) {
                // a pooled connection found dead: the pool's "Connection is closed" carries no
                // SQLSTATE, the driver's own failure (class 08) rides along as suppressed
                if (suppressed instanceof SQLException sql && isTransient(sql)) {
                    return true;
                }
            }
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
