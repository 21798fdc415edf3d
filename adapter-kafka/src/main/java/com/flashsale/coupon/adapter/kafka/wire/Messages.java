package com.flashsale.coupon.adapter.kafka.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.flashsale.coupon.domain.ClaimCoupon;
import com.flashsale.coupon.domain.ClaimOutcome;
import com.flashsale.coupon.domain.Coupon;
import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.CreateOutcome;
import com.flashsale.coupon.domain.RequestId;
import com.flashsale.coupon.domain.StockAmount;
import com.flashsale.coupon.domain.UserId;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The transport's messages; each maps to and from the domain at this edge only. */
public final class Messages {

    private Messages() {
    }

    /** On {@code coupon.create.req}: {@code {"v":1,"request_id","name","amount"}}. */
    public record CreateRequest(@JsonProperty(value = "v", required = true) int version,
                         @JsonProperty(value = "request_id", required = true) String requestId,
                         @JsonProperty(value = "name", required = true) String name,
                         @JsonProperty(value = "amount", required = true) int amount) implements Wire.Versioned {

        public static CreateRequest from(CreateCoupon command) {
             return new CreateRequest(Wire.VERSION, command.requestId().value(), command.name().value(),
                    command.amount().value());
        }

        public CreateCoupon toDomain() {
            return valid(() -> new CreateCoupon(new RequestId(requestId), new CouponName(name), new StockAmount(amount)));
        }
    }

    /** On {@code coupon.claim.req}: {@code {"v":1,"request_id","user_id","coupon_name"}}. */
    public record ClaimRequest(@JsonProperty(value = "v", required = true) int version,
                        @JsonProperty(value = "request_id", required = true) String requestId,
                        @JsonProperty(value = "user_id", required = true) String userId,
                        @JsonProperty(value = "coupon_name", required = true) String couponName)
            implements Wire.Versioned {

        public static ClaimRequest from(ClaimCoupon command) {
             return new ClaimRequest(Wire.VERSION, command.requestId().value(), command.userId().value(),
                    command.couponName().value());
        }

        public ClaimCoupon toDomain() {
            return valid(() -> new ClaimCoupon(new RequestId(requestId), new UserId(userId), new CouponName(couponName)));
        }
    }

    /**
     * On {@code coupon.claim.req}, with header {@code claims}: the claims one gateway holds for one
     * coupon, in one record, in the order they came. Headers belong to the whole record, so each
     * claim names its own correlation id, deadline and attempt:
     * {@code {"v":1,"coupon_name","claims":[{"correlation_id","request_id","user_id","deadline","attempt"}, ...]}}.
     */
    public record ClaimBatch(@JsonProperty(value = "v", required = true) int version,
                      @JsonProperty(value = "coupon_name", required = true) String couponName,
                      @JsonProperty(value = "claims", required = true) List<BatchedClaim> claims)
            implements Wire.Versioned {

        public ClaimBatch {
            claims = claims == null ? null : List.copyOf(claims);
        }

        public static ClaimBatch of(String couponName, List<BatchedClaim> claims) {
            return new ClaimBatch(Wire.VERSION, couponName, claims);
        }
    }

    /** One claim of a {@link ClaimBatch}; {@code attempt} is 0 unless given. */
    public record BatchedClaim(@JsonProperty(value = "correlation_id", required = true) String correlationId,
                        @JsonProperty(value = "request_id", required = true) String requestId,
                        @JsonProperty(value = "user_id", required = true) String userId,
                        @JsonProperty(value = "deadline", required = true) long deadline,
                        @JsonProperty("attempt") Integer attempt) {

        public BatchedClaim {
            attempt = attempt == null ? 0 : attempt;
        }

        public static BatchedClaim of(String correlationId, long deadline, ClaimRequest claim) {
            return new BatchedClaim(correlationId, claim.requestId(), claim.userId(), deadline, 0);
        }

        /** The claim as the single-claim message: its shape on a retry or dead-letter topic. */
        public ClaimRequest toRequest(String couponName) {
            return new ClaimRequest(Wire.VERSION, requestId, userId, couponName);
        }
    }

    /** On {@code coupon.get.req}: {@code {"v":1,"name"}}. */
    public record GetRequest(@JsonProperty(value = "v", required = true) int version,
                      @JsonProperty(value = "name", required = true) String name) implements Wire.Versioned {

        public static GetRequest from(CouponName name) {
            return new GetRequest(Wire.VERSION, name.value());
        }

        public CouponName toDomain() {
            return valid(() -> new CouponName(name));
        }
    }

    /** A coupon inside a reply, shaped as the HTTP API shows it. */
    public record CouponBody(@JsonProperty(value = "name", required = true) String name,
                      @JsonProperty(value = "amount", required = true) int amount,
                      @JsonProperty(value = "remaining_amount", required = true) int remainingAmount,
                      @JsonProperty(value = "claimed_by", required = true) List<String> claimedBy) {

        public static CouponBody from(Coupon coupon) {
             return new CouponBody(coupon.name().value(), coupon.amount().value(), coupon.remainingAmount(),
                    coupon.claimedBy().stream().map(UserId::value).toList());
        }

        public Coupon toDomain() {
             return valid(() -> new Coupon(new CouponName(name), new StockAmount(amount), remainingAmount,
                    claimedBy.stream().map(UserId::new).toList()));
        }
    }

    /**
     * On {@code coupon.reply.{instance}}: {@code {"v":1,"outcome", ...}}. {@code outcome} is one of
     * the results below of the request's kind, in lower case, or {@code failed}; {@code coupon},
     * {@code coupon_name}, {@code user_id} and {@code message} appear where the outcome needs them.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Reply(@JsonProperty(value = "v", required = true) int version,
                 @JsonProperty(value = "outcome", required = true) String outcome,
                 @JsonProperty("coupon_name") String couponName,
                 @JsonProperty("user_id") String userId,
                 @JsonProperty("coupon") CouponBody coupon,
                 @JsonProperty("message") String message) implements Wire.Versioned {

        /** What a claim's reply can say; on the wire, each constant's name in lower case. */
        public enum ClaimResult { CLAIMED, ALREADY_CLAIMED, SOLD_OUT, COUPON_NOT_FOUND }

        /** What a create's reply can say. */
        public enum CreateResult { CREATED, COUPON_EXISTS }

        /** What a get's reply can say. */
        public enum GetResult { FOUND, NOT_FOUND }

        /** The request could not be processed; {@code message} says why. It may answer any request. */
        public static final String FAILED = "failed";

        private static final Shape<ClaimResult> CLAIM = new Shape<>(ClaimResult.class, "claim");
        private static final Shape<CreateResult> CREATE = new Shape<>(CreateResult.class, "create");
        private static final Shape<GetResult> GET = new Shape<>(GetResult.class, "get");

        private static Reply of(String outcome, String couponName, String userId, CouponBody coupon, String message) {
            return new Reply(Wire.VERSION, outcome, couponName, userId, coupon, message);
        }

        public static Reply from(ClaimOutcome outcome) {
            String coupon = outcome.couponName().value();
            String user = outcome.userId().value();
            return outcome.fold(
                    claimed -> of(wire(ClaimResult.CLAIMED), coupon, user, null, null),
                    already -> of(wire(ClaimResult.ALREADY_CLAIMED), coupon, user, null, null),
                    soldOut -> of(wire(ClaimResult.SOLD_OUT), coupon, user, null, null),
                    missing -> of(wire(ClaimResult.COUPON_NOT_FOUND), coupon, user, null, null));
        }

        public static Reply from(CreateOutcome outcome) {
            return outcome.fold(
                    created -> of(wire(CreateResult.CREATED), null, null, CouponBody.from(created.coupon()), null),
                    exists -> of(wire(CreateResult.COUPON_EXISTS), exists.name().value(), null, null, null));
        }

        public static Reply from(Optional<Coupon> found) {
            return found.map(coupon -> of(wire(GetResult.FOUND), null, null, CouponBody.from(coupon), null))
                    .orElseGet(() -> of(wire(GetResult.NOT_FOUND), null, null, null, null));
        }

        public static Reply failed(String message) {
            return of(FAILED, null, null, null, message);
        }

        public ClaimOutcome toClaimOutcome() {
            ClaimResult result = CLAIM.of(outcome);
            CouponName coupon = valid(() -> new CouponName(couponName));
            UserId user = valid(() -> new UserId(userId));
            return switch (result) {
                case CLAIMED -> new ClaimOutcome.Claimed(coupon, user);
                case ALREADY_CLAIMED -> new ClaimOutcome.AlreadyClaimed(coupon, user);
                case SOLD_OUT -> new ClaimOutcome.SoldOut(coupon, user);
                case COUPON_NOT_FOUND -> new ClaimOutcome.CouponNotFound(coupon, user);
            };
        }

        public CreateOutcome toCreateOutcome() {
            return switch (CREATE.of(outcome)) {
                case CREATED -> new CreateOutcome.Created(requireCoupon().toDomain());
                case COUPON_EXISTS -> new CreateOutcome.AlreadyExists(valid(() -> new CouponName(couponName)));
            };
        }

        public Optional<Coupon> toFound() {
            return switch (GET.of(outcome)) {
                case FOUND -> Optional.of(requireCoupon().toDomain());
                case NOT_FOUND -> Optional.empty();
            };
        }

        public boolean isFailure() {
            return FAILED.equals(outcome);
        }

        private CouponBody requireCoupon() {
            if (coupon == null) {
                throw new Wire.MalformedMessageException("reply '" + outcome + "' without a coupon");
            }
            return coupon;
        }

    }

    /** A reply outcome's wire text: the constant's name in lower case. */
    public static String wire(Enum<?> outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }

    /** The outcomes that may answer one kind of request, by their wire text; any other is refused. */
    private static final class Shape<E extends Enum<E>> {

        private final Map<String, E> byWire = new HashMap<>();
        private final String request;

        public Shape(Class<E> outcomes, String request) {
            for (E outcome : outcomes.getEnumConstants()) {
                byWire.put(wire(outcome), outcome);
            }
            this.request = request;
        }

        public E of(String outcome) {
            E known = byWire.get(outcome);
            if (known == null) {
                throw new Wire.MalformedMessageException("reply '" + outcome + "' does not answer a " + request);
            }
            return known;
        }
    }

    /**
     * On {@code coupon.reply.{instance}}, with header {@code replies}: the replies to one poll's
     * claims from one gateway, in one record, each naming the request it answers:
     * {@code {"v":1,"replies":[{"correlation_id","outcome","coupon_name","user_id"}, ...]}}.
     */
    public record ReplyBatch(@JsonProperty(value = "v", required = true) int version,
                      @JsonProperty(value = "replies", required = true) List<BatchedReply> replies)
            implements Wire.Versioned {

        public static ReplyBatch of(List<BatchedReply> replies) {
            return new ReplyBatch(Wire.VERSION, replies);
        }
    }

    /** One claim's reply in a {@link ReplyBatch}. */
    public record BatchedReply(@JsonProperty(value = "correlation_id", required = true) String correlationId,
                        @JsonProperty(value = "outcome", required = true) String outcome,
                        @JsonProperty(value = "coupon_name", required = true) String couponName,
                        @JsonProperty(value = "user_id", required = true) String userId) {

        public static BatchedReply of(String correlationId, Reply claimReply) {
            return new BatchedReply(correlationId, claimReply.outcome(), claimReply.couponName(), claimReply.userId());
        }

        public Reply toReply() {
            return new Reply(Wire.VERSION, outcome, couponName, userId, null, null);
        }
    }

    /**
     * On {@code coupon.sold-out}, keyed by coupon name: {@code {"v":1,"coupon_name","holders",
     * "hashes","bits"}}, the coupon's holders as a {@link HolderFilter} whose 64-bit words are
     * {@code bits}, big-endian, in base64. Published once the stock is gone, when the holders are final.
     */
    public record SoldOut(@JsonProperty(value = "v", required = true) int version,
                   @JsonProperty(value = "coupon_name", required = true) String couponName,
                   @JsonProperty(value = "holders", required = true) int holders,
                   @JsonProperty(value = "hashes", required = true) int hashes,
                   @JsonProperty(value = "bits", required = true) String bits) implements Wire.Versioned {

        public static SoldOut from(CouponName coupon, int holders, HolderFilter filter) {
            long[] words = filter.words();
            ByteBuffer bytes = ByteBuffer.allocate(words.length * Long.BYTES);
            bytes.asLongBuffer().put(words);
             return new SoldOut(Wire.VERSION, coupon.value(), holders, filter.hashes(),
                    Base64.getEncoder().encodeToString(bytes.array()));
        }

        public CouponName coupon() {
            return valid(() -> new CouponName(couponName));
        }

        public HolderFilter filter() {
             return valid(() -> {
                byte[] bytes = Base64.getDecoder().decode(bits);
                if (bytes.length % Long.BYTES != 0) {
                    throw new IllegalArgumentException("bits are not whole 64-bit words");
                }
                long[] words = new long[bytes.length / Long.BYTES];
                ByteBuffer.wrap(bytes).asLongBuffer().get(words);
                return HolderFilter.fromWords(words, hashes);
            });
        }
    }

    private static <T> T valid(Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) { // the domain's InvalidValueException too
            throw new Wire.MalformedMessageException("invalid value: " + e.getMessage());
        }
    }
}
