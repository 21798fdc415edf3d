package com.flashsale.archfixture.adapter.kafka.wire;

/** What both roles may share: a message shape. */
public record Envelope(String body) {
}
