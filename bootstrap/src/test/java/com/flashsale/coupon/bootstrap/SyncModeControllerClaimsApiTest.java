package com.flashsale.coupon.bootstrap;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import java.util.HashMap;
import java.util.Map;

/**
 * The HTTP contract with the fast path of claims switched off ({@code coupons.http.fast-claims:
 * false}): every claim through the Micronaut controller, which the fast path leaves unusual
 * claims to, so that both ways answer alike.
 */
@MicronautTest(transactional = false)
class SyncModeControllerClaimsApiTest extends CouponApiContract implements TestPropertyProvider {

    @Override
    public Map<String, String> getProperties() {
        Map<String, Object> properties = new HashMap<>(TestInfrastructure.freshDatabase());
        properties.put("coupons.event-driven", false);
        properties.put("coupons.http.fast-claims", false);
        return TestService.asStrings(withAdminToken(properties));
    }
}
