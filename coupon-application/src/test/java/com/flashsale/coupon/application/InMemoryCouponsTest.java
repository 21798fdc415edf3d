package com.flashsale.coupon.application;

import com.flashsale.coupon.domain.port.out.Coupons;

class InMemoryCouponsTest extends CouponsContract {

    @Override
    protected Coupons store() {
        return new InMemoryCoupons();
    }
}
