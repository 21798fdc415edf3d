package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.infra.KafkaBrokerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** An event-driven service that stops leaves no thread behind: no Kafka client retrying a gone broker. */
class CleanShutdownTest {

    @Test
    void aStoppedService_leavesNoThreadOfItsOwn() throws Exception {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.startForTests()) {
            Map<String, Object> properties = new HashMap<>(TestPostgres.freshDatabase());
            properties.putAll(TestKafka.eventDriven(broker));
            Set<Thread> before = Thread.getAllStackTraces().keySet();

            try (TestService service = TestService.start(properties); ApiClient api = new ApiClient(service.uri())) {
                String coupon = CouponApiContract.uniqueName("SHUTDOWN");
                assertThat(api.createCoupon(coupon, 5).status()).isEqualTo(201);
                assertThat(api.claim("leaving_user", coupon).status()).isEqualTo(200);
                assertThat(api.get("/health").status()).isEqualTo(200);
            }

            List<String> left = List.of();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            do {
                left = Thread.getAllStackTraces().keySet().stream()
                        .filter(thread -> !before.contains(thread) && thread.isAlive())
                        .map(Thread::getName)
                        .filter(name -> name.contains("kafka") || name.startsWith("coupon-")
                                || name.startsWith("consumer-executor"))
                        .collect(Collectors.toList());
                if (!left.isEmpty()) {
                    Thread.sleep(200);
                }
            } while (!left.isEmpty() && Instant.now().isBefore(deadline));
            assertThat(left).as("threads left by the stopped service").isEmpty();
        }
    }
}
