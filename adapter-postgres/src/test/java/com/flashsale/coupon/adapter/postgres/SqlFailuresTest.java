package com.flashsale.coupon.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.domain.port.in.OutcomeUnknownException;
import com.flashsale.coupon.domain.port.out.StoreUnavailableException;
import io.micronaut.transaction.exceptions.TransactionSystemException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** What a database failure means to the caller: an outage, an unknown outcome, or a bug. */
class SqlFailuresTest {

    private static final SQLException CONNECTION_LOST = new SQLException("An I/O error occurred", "08006");

    @Test
    void aConnectionLostDuringCommit_leavesTheOutcomeUnknown_notFailed() {
        RuntimeException failure = SqlFailures.translate("claim PROMO",
                new TransactionSystemException("Could not commit JDBC transaction", CONNECTION_LOST));

        assertThat(failure).isInstanceOf(OutcomeUnknownException.class).hasMessageContaining("may or may not");
    }

    @Test
    void aConnectionLostBeforeCommit_isAnOutage_andNothingWasDone() {
        RuntimeException failure = SqlFailures.translate("claim PROMO",
                new io.micronaut.data.exceptions.DataAccessException("statement failed", CONNECTION_LOST));

        assertThat(failure).isInstanceOf(StoreUnavailableException.class).isNotInstanceOf(OutcomeUnknownException.class);
    }

    @Test
    void aConstraintTheStoreBroke_isABug_notAnOutage() {
        RuntimeException failure = SqlFailures.translate("claim PROMO",
                new io.micronaut.data.exceptions.DataAccessException("violates check",
                        new SQLException("new row violates check constraint", "23514")));

        assertThat(failure).isInstanceOf(IllegalStateException.class);
    }
}
