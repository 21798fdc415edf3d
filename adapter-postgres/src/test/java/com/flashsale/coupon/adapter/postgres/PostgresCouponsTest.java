package com.flashsale.coupon.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.application.CouponsContract;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.RequestId;
import com.flashsale.coupon.domain.StockAmount;
import com.flashsale.coupon.domain.UserId;
import com.flashsale.coupon.domain.port.out.Coupons;
import com.flashsale.coupon.infra.EmbeddedPostgresServer;
import io.micronaut.context.ApplicationContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store contract on a real PostgreSQL 16, with the schema applied by Liquibase at start-up. */
class PostgresCouponsTest extends CouponsContract {

    private static EmbeddedPostgresServer postgres;
    private static ApplicationContext context;

    @BeforeAll
    static void startDatabase() {
        postgres = EmbeddedPostgresServer.startForTests();
        postgres.createDatabase("coupons_store_test");
        context = StoreContext.start(postgres, "coupons_store_test", 10);
    }


    @AfterAll
    static void stopDatabase() {
        StoreContext.stop(context, postgres);
    }

    @Override
    protected Coupons store() {
        return context.getBean(PostgresCoupons.class);
    }

    @Test
    void theSchemaRefusesANegativeStock() throws Exception {
        CouponName name = uniqueName();
        coupons.add(new CreateCoupon(RequestId.random(), name, new StockAmount(1)));
        try (Connection c = StoreContext.rawConnection(context); Statement s = c.createStatement()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.executeUpdate(
                    "UPDATE coupons SET remaining_amount = -1 WHERE name = '" + name.value() + "'"))
                    .hasMessageContaining("remaining_amount");
        }
    }

    @Test
    void claimIdsFollowBatchOrder() throws Exception {
        CouponName name = uniqueName();
        coupons.add(new CreateCoupon(RequestId.random(), name, new StockAmount(10)));
        List<ClaimCoupon> batch = new ArrayList<>();
        for (String user : List.of("m", "c", "x", "a")) {
            batch.add(new ClaimCoupon(RequestId.random(), new UserId(user), name));
        }
        coupons.claimAll(name, batch);

        List<String> byId = new ArrayList<>();
        try (Connection c = StoreContext.rawConnection(context);
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("SELECT user_id FROM claims WHERE coupon_name = '"
                     + name.value() + "' ORDER BY id")) {
            while (rows.next()) {
                byId.add(rows.getString(1));
            }
        }
        assertThat(byId).containsExactly("m", "c", "x", "a");
    }
}
