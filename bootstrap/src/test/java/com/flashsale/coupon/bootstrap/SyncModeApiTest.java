package com.flashsale.coupon.bootstrap;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The HTTP contract with {@code EVENT_DRIVEN_ENABLED=false}: use cases called in-process. */
class SyncModeApiTest extends CouponApiContract {

    private TestService service;

    @Override
    protected URI startService() {
        Map<String, Object> properties = new HashMap<>(TestPostgres.freshDatabase());
        properties.put("coupons.event-driven", false);
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
