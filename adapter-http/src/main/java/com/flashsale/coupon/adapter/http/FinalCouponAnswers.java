package com.flashsale.coupon.adapter.http;

import com.flashsale.coupon.domain.Coupon;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The encoded {@code GET} answers of final coupons ({@link Coupon#isFinal}: sold out, every
 * holder known), which can never change, so they are answered again without the port. A sold
 * coupon with 100,000 holders read four times a second during the next sale cost the database and
 * the store threads about a third of the selling rate. At most {@code maxBytes} are kept, the least
 * recently read leave first; past the bound a coupon is read through the port as before.
 */
final class FinalCouponAnswers {

    /** Room for about 48 coupons of 100,000 holders with ASCII ids. */
    static final long DEFAULT_MAX_BYTES = 64L << 20;

    private final long maxBytes;
    private long bytes;
    private final Map<String, byte[]> answers = new LinkedHashMap<>(16, 0.75f, true);

    FinalCouponAnswers(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The kept answer for the coupon of this name; null when there is none. */
    synchronized byte[] get(String name) {
        return answers.get(name);
    }

    /** Keeps {@code encoded}, the answer for {@code coupon}, if the coupon is final and the answer fits. */
    synchronized void offer(Coupon coupon, byte[] encoded) {
        if (!coupon.isFinal() || encoded.length > maxBytes) {
            return;
        }
        byte[] earlier = answers.put(coupon.name().value(), encoded);
        bytes += encoded.length - (earlier == null ? 0 : earlier.length);
        for (Iterator<byte[]> oldest = answers.values().iterator(); bytes > maxBytes && oldest.hasNext(); ) {
            bytes -= oldest.next().length;
            oldest.remove();
        }
    }
}
