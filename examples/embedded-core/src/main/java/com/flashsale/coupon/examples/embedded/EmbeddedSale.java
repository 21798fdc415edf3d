package com.flashsale.coupon.examples.embedded;

import com.flashsale.coupon.application.FlashSaleUseCases;
import com.flashsale.coupon.application.InMemoryCoupons;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.RequestId;
import com.flashsale.coupon.domain.StockAmount;
import com.flashsale.coupon.domain.UserId;
import com.flashsale.coupon.domain.port.in.FlashSale;
import com.flashsale.coupon.domain.port.out.Coupons;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service of someone else's that embeds the coupon core with no framework: it makes the use
 * cases over a store, runs a flash sale of 200 coupons among 2,000 users racing on 32 threads,
 * and checks what every caller was told against what the store holds. Once on the core's
 * in-memory store, once on {@link SingleLockCoupons}, a store written here.
 */
public final class EmbeddedSale {

    private static final int STOCK = 200;
    private static final int USERS = 2_000;

    private EmbeddedSale() {
    }

    public static void main(String[] args) throws Exception {
        sell("the core's in-memory store", new InMemoryCoupons());
        sell("a store of this example's own", new SingleLockCoupons());
    }

    private static void sell(String storeName, Coupons store) throws Exception {
        ExecutorService storeThreads = Executors.newFixedThreadPool(4);
        ExecutorService users = Executors.newFixedThreadPool(32);
        try {
            FlashSale sale = new FlashSaleUseCases(store, storeThreads, 100);
            CouponName coupon = new CouponName("EMBEDDED_SALE");
            sale.create(new CreateCoupon(RequestId.random(), coupon, new StockAmount(STOCK)))
                    .toCompletableFuture().join();

            Map<String, AtomicInteger> told = new ConcurrentHashMap<>();
            Set<UserId> winners = ConcurrentHashMap.newKeySet();
            List<CompletableFuture<?>> claims = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                UserId user = new UserId("user_" + i);
                claims.add(CompletableFuture.runAsync(() -> {
                    ClaimOutcome outcome = sale.claim(new ClaimCoupon(RequestId.random(), user, coupon))
                            .toCompletableFuture().join();
                    String answer = outcome.fold(c -> "claimed", a -> "already_claimed", s -> "sold_out",
                            n -> "coupon_not_found");
                    told.computeIfAbsent(answer, k -> new AtomicInteger()).incrementAndGet();
                    if (answer.equals("claimed")) {
                        winners.add(user);
                    }
                }, users));
            }
            CompletableFuture.allOf(claims.toArray(CompletableFuture[]::new)).join();

            Coupon after = sale.find(coupon).toCompletableFuture().join().orElseThrow();
            System.out.printf("%s: %d users, stock %d -> told %s; remaining %d, %d holders%n", storeName, USERS,
                    STOCK, told, after.remainingAmount(), after.claimedBy().size());
            check(winners.size() == STOCK, "exactly the stock was granted");
            check(after.remainingAmount() == 0, "the stock is sold out");
            check(new HashSet<>(after.claimedBy()).equals(winners), "the holders are exactly the users told claimed");
            check(told.getOrDefault("sold_out", new AtomicInteger()).get() == USERS - STOCK, "everyone else heard sold_out");
        } finally {
            users.shutdown();
            storeThreads.shutdown();
        }
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new IllegalStateException("embedded sale broken: not true that " + what);
        }
    }
}
