package com.flashsale.coupon.bootstrap;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import java.util.HashMap;
import java.util.Map;

/** The HTTP contract with {@code EVENT_DRIVEN_ENABLED=false}: use cases called in-process. */
@MicronautTest(transactional = false)
class SyncModeApiTest extends CouponApiContract implements TestPropertyProvider {

    @Override
    public Map<String, String> getProperties() {
        Map<String, Object> properties = new HashMap<>(TestInfrastructure.freshDatabase());
        properties.put("coupons.event-driven", false);
        return TestService.asStrings(withAdminToken(properties));
    }
}
