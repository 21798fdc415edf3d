package com.flashsale.coupon.bootstrap;

import com.flashsale.coupon.infra.KafkaBrokerProcess;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The same HTTP contract with {@code EVENT_DRIVEN_ENABLED=true}: every call travels through Kafka. */
class EventDrivenApiTest extends CouponApiContract {

    private KafkaBrokerProcess broker;
    private TestService service;

    @Override
    protected URI startService() {
        broker = KafkaBrokerProcess.startForTests();
        Map<String, Object> properties = new HashMap<>(TestPostgres.freshDatabase());
        properties.putAll(TestKafka.eventDriven(broker));
        service = TestService.start(properties);
        return service.uri();
    }

    @Override
    protected void stopService() {
        if (service != null) {
            service.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
