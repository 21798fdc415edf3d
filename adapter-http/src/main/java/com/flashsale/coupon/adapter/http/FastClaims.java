package com.flashsale.coupon.adapter.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;

/**
 * Puts a {@link FastClaimHandler} in front of Micronaut's handler on every HTTP/1.1 connection,
 * through micronaut-http-server-netty's {@link NettyServerCustomizer}. HTTP/2 connections keep
 * Micronaut's path alone. {@code coupons.http.fast-claims: false} leaves every claim to the
 * controller (the contract suite runs both ways).
 */
@Singleton
@Requires(property = FastClaims.PROPERTY, notEquals = "false")
final class FastClaims implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    static final String PROPERTY = "coupons.http.fast-claims";
    static final String HANDLER = "coupon-fast-claims";

    private final ClaimEndpoint claims;
    private final int maxBody;
    private final ClaimTimings timings;

    FastClaims(ClaimEndpoint claims, HttpServerConfiguration server, @Nullable ClaimTimings timings) {
        this.claims = claims;
        this.maxBody = (int) Math.min(Integer.MAX_VALUE, server.getMaxRequestSize());
        this.timings = timings == null ? ClaimTimings.NONE : timings;
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    private final class Customizer implements NettyServerCustomizer {
        private final Channel connection;

        Customizer(@Nullable Channel connection) {
            this.connection = connection;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new Customizer(channel) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (connection == null) {
                return;
            }
            ChannelPipeline pipeline = connection.pipeline();
            if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
                    && pipeline.get(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND) != null
                    && pipeline.get(HANDLER) == null) {
                pipeline.addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, HANDLER,
                        new FastClaimHandler(claims, maxBody, timings));
            }
        }
    }
}
