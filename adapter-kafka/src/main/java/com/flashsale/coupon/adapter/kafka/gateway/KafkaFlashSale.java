package com.flashsale.coupon.adapter.kafka.gateway;

import com.flashsale.coupon.adapter.kafka.KafkaSettings;
import com.flashsale.coupon.adapter.kafka.wire.Messages.ClaimRequest;
import com.flashsale.coupon.adapter.kafka.wire.Messages.CreateRequest;
import com.flashsale.coupon.adapter.kafka.wire.Messages.GetRequest;
import com.flashsale.coupon.adapter.kafka.wire.Messages.Reply;
import com.flashsale.coupon.adapter.kafka.wire.RequestKind;
import com.flashsale.coupon.adapter.kafka.wire.Wire;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import com.flashsale.coupon.domain.port.in.FlashSale;
import com.flashsale.coupon.domain.port.in.OutcomeUnknownException;
import com.flashsale.coupon.domain.port.in.OverloadedException;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link FlashSale} port over Kafka: each call becomes a request message, published to its
 * kind's topic, and its reply message becomes the call's outcome. A call with no reply by its
 * deadline fails with {@link OutcomeUnknownException}. A claim on a coupon known to be sold out, by
 * a user who certainly holds none, is answered {@code sold_out} here ({@link SoldOutTopic}).
 *
 * <p>Created with the context, so that the reply topic is read before the HTTP server takes its
 * first request; typed as itself, so that it is the HTTP adapter's port only when bootstrap says so.
 */
@Context
@Bean(typed = KafkaFlashSale.class)
@Requires(property = KafkaSettings.EVENT_DRIVEN, value = "true")
public final class KafkaFlashSale implements FlashSale {

    private final PendingReplies pending;
    private final RequestPublisher publisher;
    private final ReplyTopic replies;
    private final SoldOutTopic soldOut;

    KafkaFlashSale(PendingReplies pending, RequestPublisher publisher, ReplyTopic replies, SoldOutTopic soldOut) {
        this.pending = pending;
        this.publisher = publisher;
        this.replies = replies;
        this.soldOut = soldOut;
    }

    @Override
    public CompletionStage<CreateOutcome> create(CreateCoupon command) {
        return request(RequestKind.CREATE, command.name(), CreateRequest.from(command),
                () -> "create " + command.name() + " (request " + command.requestId() + ")")
                .thenApply(Reply::toCreateOutcome);
    }

    @Override
    public CompletionStage<ClaimOutcome> claim(ClaimCoupon command) {
        Optional<ClaimOutcome> atTheEdge = soldOut.answer(command);
        if (atTheEdge.isPresent()) {
            return CompletableFuture.completedFuture(atTheEdge.get());
        }
        // encoded on the publisher's thread, alone or in a batch with the coupon's other claims
        return await(() -> "claim " + command.couponName() + " for " + command.userId() + " (request "
                        + command.requestId() + ")",
                waiting -> publisher.publishClaim(command.couponName().value(), ClaimRequest.from(command), waiting))
                .thenApply(Reply::toClaimOutcome);
    }

    @Override
    public CompletionStage<Optional<Coupon>> find(CouponName name) {
        return request(RequestKind.GET, name, GetRequest.from(name), () -> "read " + name).thenApply(Reply::toFound);
    }

    /** Publishes a request and waits for its reply; {@code what} describes it for logs, made only if needed. */
    private CompletableFuture<Reply> request(RequestKind kind, CouponName coupon, Object message, Supplier<String> what) {
        byte[] payload = Wire.write(message);
        return await(what, waiting -> publisher.publish(kind, coupon.value(), payload, waiting));
    }

    /** Registers a caller, unless too many wait already, and has {@code publish} send its request. */
    private CompletableFuture<Reply> await(Supplier<String> what, Consumer<PendingReplies.Waiting> publish) {
        PendingReplies.Waiting waiting;
        try {
            waiting = pending.register(what);
        } catch (OverloadedException e) {
            return CompletableFuture.failedFuture(e);
        }
        publish.accept(waiting);
        return waiting.reply();
    }

    /** True while replies are read; false means callers would wait in vain. */
    public boolean isReady() {
        return replies.isReady();
    }

    public String replyTopic() {
        return replies.name();
    }

    public int inFlight() {
        return pending.inFlight();
    }
}
