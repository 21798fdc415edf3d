package com.flashsale.coupon.bootstrap;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The same HTTP contract with {@code EVENT_DRIVEN_ENABLED=true}: every call travels through Kafka. */
class EventDrivenApiTest extends CouponApiContract {

    private TestService service;

    @Override
    protected URI startService() {
        Map<String, Object> properties = new HashMap<>(TestPostgres.freshDatabase());
        properties.putAll(TestKafka.eventDriven("contract-workers"));
        service = TestService.start(properties);
        return service.uri();
    }

    @Override
    protected void stopService() {
        if (service != null) {
            service.close();
        }
    }
}
