package com.flashsale.coupon.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fault suite's short form ({@code bin/fault-test}), in {@code ./mvnw verify}: every scenario
 * on real servers, every check passed.
 */
class FaultSuiteIT {

    @Test
    void everyFaultScenario_keepsEveryPromise() throws Exception {
        Path data = Path.of("target", "it-faults-" + System.nanoTime()).toAbsolutePath();

        List<FaultSuite.Result> results = FaultSuite.run(FaultSuite.Size.SHORT, data);

        assertThat(results).hasSize(FaultSuite.Scenario.values().length);
        assertThat(results).allSatisfy(result -> assertThat(result.failures()).as(result.row()).isEmpty());
        // the faults struck: clients met errors and came through them
        assertThat(results.stream().mapToLong(r -> r.retried5xx() + r.dropped()).sum()).isPositive();
    }
}
