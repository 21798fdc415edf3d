package com.flashsale.coupon.adapter.kafka.wire;

/**
 * Every topic name of the transport, in one place. Constants, so that listeners can name them in
 * annotations; {@link RequestKind} ties each kind of request to its three topics.
 */
public final class KafkaTopics {

    public static final String CREATE_REQUESTS = "coupon.create.req";
    public static final String CLAIM_REQUESTS = "coupon.claim.req";
    public static final String GET_REQUESTS = "coupon.get.req";

    public static final String CREATE_RETRY = "coupon.create.retry";
    public static final String CLAIM_RETRY = "coupon.claim.retry";
    public static final String GET_RETRY = "coupon.get.retry";

    public static final String CREATE_DLQ = "coupon.create.dlq";
    public static final String CLAIM_DLQ = "coupon.claim.dlq";
    public static final String GET_DLQ = "coupon.get.dlq";

    /** Compacted, keyed by coupon name: the holders of each sold-out coupon, for every gateway. */
    public static final String SOLD_OUT = "coupon.sold-out";

    public static final String REPLY_PREFIX = "coupon.reply.";

    private KafkaTopics() {
    }

    /** The reply topic of one gateway instance. */
    public static String replyTopic(String instanceId) {
        return REPLY_PREFIX + instanceId;
    }
}
