package com.flashsale.coupon.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The migration lock's start-up wait, on a pool that is still making its first connections. */
class MigrationLockTest {

    @Test
    void aPoolStillMakingItsFirstConnections_isAskedAgain_insteadOfFailingTheStartUp() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        Connection made = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> null);
        // the pool's answer while its connection is being made: "request timed out after 250ms"
        DataSource slowPool = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && asked.incrementAndGet() < 3) {
                        throw new SQLTransientConnectionException("Connection is not available, request timed out");
                    }
                    return made;
                });

        assertThat(MigrationLock.Acquire.connect(slowPool)).isSameAs(made);
        assertThat(asked).hasValue(3);
    }
}
