package com.flashsale.coupon.bootstrap;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import java.util.HashMap;
import java.util.Map;

/** The same HTTP contract with {@code EVENT_DRIVEN_ENABLED=true}: every call travels through Kafka. */
@MicronautTest(transactional = false)
class EventDrivenApiTest extends CouponApiContract implements TestPropertyProvider {

    @Override
    public Map<String, String> getProperties() {
        Map<String, Object> properties = new HashMap<>(TestInfrastructure.freshDatabase());
        properties.putAll(TestKafka.eventDriven(TestInfrastructure.freshBroker().bootstrapServers()));
        return TestService.asStrings(withAdminToken(properties));
    }
}
