package com.flashsale.coupon.adapter.kafka.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashsale.coupon.adapter.kafka.wire.Messages.ClaimRequest;
import com.flashsale.coupon.adapter.kafka.wire.Messages.CreateRequest;
import com.flashsale.coupon.adapter.kafka.wire.Messages.Reply;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import com.flashsale.coupon.domain.RequestId;
import com.flashsale.coupon.domain.StockAmount;
import com.flashsale.coupon.domain.UserId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessagesTest {

    private static final CouponName COUPON = new CouponName("PROMO");
    private static final UserId USER = new UserId("user 1 😀");

    private static Reply roundTrip(Reply reply) {
        return Wire.read(Wire.write(reply), Reply.class);
    }

    @Test
    void everyClaimOutcome_survivesTheWire() {
        for (ClaimOutcome outcome : List.of(new ClaimOutcome.Claimed(COUPON, USER),
                new ClaimOutcome.AlreadyClaimed(COUPON, USER), new ClaimOutcome.SoldOut(COUPON, USER),
                new ClaimOutcome.CouponNotFound(COUPON, USER))) {
            assertThat(roundTrip(Reply.from(outcome)).toClaimOutcome()).isEqualTo(outcome);
        }
    }

    @Test
    void createOutcomesAndReads_surviveTheWire() {
        Coupon coupon = new Coupon(COUPON, new StockAmount(3), 1, List.of(USER, new UserId("b")));
        assertThat(roundTrip(Reply.from(new CreateOutcome.Created(coupon))).toCreateOutcome())
                .isEqualTo(new CreateOutcome.Created(coupon));
        assertThat(roundTrip(Reply.from(new CreateOutcome.AlreadyExists(COUPON))).toCreateOutcome())
                .isEqualTo(new CreateOutcome.AlreadyExists(COUPON));
        assertThat(roundTrip(Reply.from(Optional.of(coupon))).toFound()).contains(coupon);
        assertThat(roundTrip(Reply.from(Optional.empty())).toFound()).isEmpty();
    }

    @Test
    void requests_surviveTheWire() {
        ClaimCoupon claim = new ClaimCoupon(new RequestId("r-1"), USER, COUPON);
        CreateCoupon create = new CreateCoupon(new RequestId("r-2"), COUPON, new StockAmount(100_000));

        assertThat(Wire.read(Wire.write(ClaimRequest.from(claim)), ClaimRequest.class).toDomain()).isEqualTo(claim);
        assertThat(Wire.read(Wire.write(CreateRequest.from(create)), CreateRequest.class).toDomain()).isEqualTo(create);
    }

    @Test
    void theClaimRequestFormat_isTheDocumentedOne() {
        ClaimCoupon claim = new ClaimCoupon(new RequestId("r-1"), new UserId("u"), COUPON);

        assertThat(new String(Wire.write(ClaimRequest.from(claim)), StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":1,\"request_id\":\"r-1\",\"user_id\":\"u\",\"coupon_name\":\"PROMO\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "null", "[]", "{\"v\":2,\"request_id\":\"r\",\"user_id\":\"u\",\"coupon_name\":\"C\"}",
        "{\"v\":1,\"user_id\":\"u\",\"coupon_name\":\"C\"}", "{\"v\":1,\"request_id\":\"r\",\"user_id\":\"u\",\"coupon_name\":\"bad name\"}"})
    void malformedRequests_areRefusedAsMalformed(String json) {
        assertThatThrownBy(() -> Wire.read(json.getBytes(StandardCharsets.UTF_8), ClaimRequest.class).toDomain())
                .isInstanceOf(Wire.MalformedMessageException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"v\":2,\"request_id\":\"r\",\"user_id\":\"u\",\"coupon_name\":\"C\"}",
        "{\"v\":2,\"claims\":[{\"id\":\"r\"}]}", "{\"v\":2}"})
    void aRequestOfAnotherSchemaVersion_isRefusedSayingThatVersionIsNotSupported(String json) {
        assertThatThrownBy(() -> Wire.read(json.getBytes(StandardCharsets.UTF_8), ClaimRequest.class))
                .isInstanceOf(Wire.MalformedMessageException.class)
                .hasMessage("schema version 2 is not supported; this service reads version 1");
    }

    @Test
    void aReplyThatAnswersAnotherKindOfRequest_isRefused() {
        Reply created = Reply.from(new CreateOutcome.AlreadyExists(COUPON));
        assertThatThrownBy(created::toFound).isInstanceOf(Wire.MalformedMessageException.class);
    }

    @Test
    void eachKind_ownsItsRequestRetryAndDeadLetterTopics() {
        assertThat(RequestKind.consumedFrom(KafkaTopics.CLAIM_REQUESTS)).contains(RequestKind.CLAIM);
        assertThat(RequestKind.consumedFrom(KafkaTopics.CLAIM_RETRY)).contains(RequestKind.CLAIM);
        assertThat(RequestKind.CLAIM.retryTopic()).isEqualTo("coupon.claim.retry");
        assertThat(RequestKind.CREATE.deadLetterTopic()).isEqualTo("coupon.create.dlq");
        assertThat(RequestKind.GET.requestTopic()).isEqualTo("coupon.get.req");
        assertThat(RequestKind.consumedFrom(KafkaTopics.GET_DLQ)).isEmpty();
        assertThat(RequestKind.consumedFrom("coupon.reply.x")).isEmpty();
        assertThat(RequestKind.sharedTopics()).hasSize(9).doesNotHaveDuplicates();
    }

    @Test
    void aClaimBatch_hasTheDocumentedShape_andEachClaimReadsBackAsASingleClaim() {
        String json = "{\"v\":1,\"coupon_name\":\"PROMO\",\"claims\":["
                + "{\"correlation_id\":\"c1\",\"request_id\":\"r1\",\"user_id\":\"u1\",\"deadline\":1700000000000},"
                + "{\"correlation_id\":\"c2\",\"request_id\":\"r2\",\"user_id\":\"u2\",\"deadline\":1700000000001,\"attempt\":2}]}";

        Messages.ClaimBatch batch = Wire.read(json.getBytes(StandardCharsets.UTF_8), Messages.ClaimBatch.class);

        assertThat(batch.claims()).containsExactly(
                new Messages.BatchedClaim("c1", "r1", "u1", 1_700_000_000_000L, 0),
                new Messages.BatchedClaim("c2", "r2", "u2", 1_700_000_000_001L, 2));
        assertThat(batch.claims().get(1).toRequest(batch.couponName()).toDomain())
                .isEqualTo(new ClaimCoupon(new RequestId("r2"), new UserId("u2"), COUPON));
        assertThat(Wire.read(Wire.write(batch), Messages.ClaimBatch.class)).isEqualTo(batch);
        assertThatThrownBy(() -> Wire.read("{\"v\":1,\"coupon_name\":\"PROMO\",\"claims\":[{\"correlation_id\":\"c1\"}]}"
                .getBytes(StandardCharsets.UTF_8), Messages.ClaimBatch.class))
                .isInstanceOf(Wire.MalformedMessageException.class);
    }
}
