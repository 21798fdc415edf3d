package com.flashsale.coupon.adapter.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;

/**
 * The fast path of {@code POST /api/coupons/claim}, one per HTTP/1.1 connection, in front of
 * Micronaut's own handler. A plain claim (JSON content type, a body of known length within the
 * limit, nothing unusual) is answered here through the same {@link ClaimEndpoint} as the
 * controller, with the same bytes; everything else, and any claim while Micronaut still owes an
 * answer on this connection, goes on to Micronaut untouched.
 *
 * <p>Why not the controller alone: on the hot coupon it is the service's largest cost. Measured on
 * the flash sale, Micronaut's request lifecycle (route match, filters, argument binding, response
 * encoding and its metrics filter) took about half the event loops' time per claim, and about as
 * much again in the JIT compiling it; the answer itself is a few microseconds. Micronaut offers no
 * lighter route, so this handler is added to its pipeline through its own extension point
 * ({@link FastClaims}, a {@code NettyServerCustomizer}).
 *
 * <p>Answers keep request order, as HTTP/1.1 requires: while a claim of ours is being answered,
 * whatever follows it on the connection is held, and reading pauses (Micronaut's handler drives
 * reads, and its read calls pass through here), then it is replayed in order.
 */
final class FastClaimHandler extends ChannelDuplexHandler {

    static final String PATH = "/api/coupons/claim";

    private static final AsciiString JSON = AsciiString.cached("application/json");
    private static final AsciiString RETRY_AFTER = AsciiString.cached(JsonAnswer.RETRY_AFTER_SECONDS);

    private final ClaimEndpoint claims;
    private final int maxBody;
    private final ClaimTimings timings;

    /** Requests handed to Micronaut whose answer has not yet been written in full. */
    private int forwarded;
    /** The rest of the current request goes to Micronaut too. */
    private boolean passing;
    /** The body of the claim being read here; null when none is. */
    private ByteBuf body;
    private String idempotencyKey;
    private boolean keepAlive;
    private long startedNanos;
    /** A claim of ours is read and not yet answered: what follows waits in {@link #held}. */
    private boolean answering;
    /** A read asked for while answering, made once the answer is written. */
    private boolean readDeferred;
    private final ArrayDeque<Object> held = new ArrayDeque<>();

    FastClaimHandler(ClaimEndpoint claims, int maxBody, ClaimTimings timings) {
        this.claims = claims;
        this.maxBody = maxBody;
        this.timings = timings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (answering) {
            held.add(msg);
            return;
        }
        route(ctx, msg);
    }

    /** Takes {@code msg} here or hands it on to Micronaut; true when it was handed on. */
    private boolean route(ChannelHandlerContext ctx, Object msg) {
        if (body != null) {
            readBody(ctx, msg);
            return false;
        }
        if (msg instanceof HttpRequest request && !passing) {
            long length = forwarded == 0 ? plainClaimLength(request) : -1;
            if (length >= 0) {
                idempotencyKey = request.headers().get(IdempotencyKeys.HEADER);
                keepAlive = HttpUtil.isKeepAlive(request);
                startedNanos = System.nanoTime();
                body = ctx.alloc().heapBuffer((int) length);
                readBody(ctx, msg);
                return false;
            }
            forwarded++;
            passing = true;
        }
        if (passing && msg instanceof LastHttpContent) {
            passing = false;
        }
        ctx.fireChannelRead(msg);
        return true;
    }

    /**
     * The body length of a POST of a claim over HTTP/1.1 with a JSON body of known length within the
     * limit, which Micronaut would route to the controller; -1 for any other request.
     */
    private long plainClaimLength(HttpRequest request) {
        if (request.method() != HttpMethod.POST || !PATH.equals(request.uri())
                || request.protocolVersion() != HttpVersion.HTTP_1_1 || !request.decoderResult().isSuccess()) {
            return -1;
        }
        HttpHeaders headers = request.headers();
        String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || !isJson(contentType)
                || headers.contains(HttpHeaderNames.TRANSFER_ENCODING) || headers.contains(HttpHeaderNames.EXPECT)) {
            return -1;
        }
        String accept = headers.get(HttpHeaderNames.ACCEPT);
        if (accept != null && !accept.contains("application/json") && !accept.contains("*/*")
                && !accept.contains("application/*")) {
            return -1; // Micronaut answers 406
        }
        long contentLength = HttpUtil.getContentLength(request, -1L); // -1 without the header
        return contentLength <= maxBody ? contentLength : -1;
    }

    private static boolean isJson(String contentType) {
        int end = contentType.indexOf(';');
        String type = (end < 0 ? contentType : contentType.substring(0, end)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    private void readBody(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpContent content) {
                body.writeBytes(content.content());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
        if (msg instanceof LastHttpContent) {
            byte[] bytes = ByteBufUtil.getBytes(body);
            body.release();
            body = null;
            answering = true;
            answer(ctx, claims.answer(bytes, idempotencyKey));
        }
    }

    private void answer(ChannelHandlerContext ctx, CompletionStage<JsonAnswer> stage) {
        boolean keepOpen = keepAlive;
        long started = startedNanos;
        stage.whenComplete((answer, failure) -> {
            if (ctx.executor().inEventLoop()) {
                write(ctx, answer, failure, keepOpen, started);
            } else {
                ctx.executor().execute(() -> write(ctx, answer, failure, keepOpen, started));
            }
        });
    }

    private void write(ChannelHandlerContext ctx, JsonAnswer answer, Throwable failure, boolean keepOpen, long started) {
        if (failure != null) {
            // the endpoint maps every failure to an answer; this is a bug, and the client must not hang
            ctx.fireExceptionCaught(failure);
            ctx.close();
            return;
        }
        if (!ctx.channel().isActive()) {
            discardHeld();
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.DATE, HttpDate.now());
        headers.set(HttpHeaderNames.CONTENT_TYPE, JSON);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        if (answer.retryAfter()) {
            headers.set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER);
        }
        timings.answered(answer.status(), System.nanoTime() - started);
        if (!keepOpen) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            discardHeld();
            return;
        }
        ctx.writeAndFlush(response, ctx.voidPromise());
        answering = false;
        boolean forwardedAny = false;
        while (!answering && !held.isEmpty()) {
            forwardedAny |= route(ctx, held.poll());
        }
        if (forwardedAny) {
            ctx.fireChannelReadComplete(); // Micronaut's handler flushes and asks for more on it
        }
        if (!answering && readDeferred) {
            readDeferred = false;
            ctx.read();
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (answering) {
            readDeferred = true; // backpressure: nothing more is read until this claim is answered
        } else {
            ctx.read();
        }
    }

    /** Counts Micronaut's answers as their last part passes on its way out (a 1xx is not an answer). */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent && !(msg instanceof HttpResponse response
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL)) {
            forwarded--;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (body != null) {
            body.release();
            body = null;
        }
        discardHeld();
    }

    private void discardHeld() {
        for (Object msg; (msg = held.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The {@code Date} header as Micronaut writes it (RFC 1123), made once a second. */
    static final class HttpDate {
        private static volatile long second;
        private static volatile String value;

        private HttpDate() {
        }

        static String now() {
            long now = System.currentTimeMillis() / 1000;
            String cached = value;
            if (now != second || cached == null) {
                cached = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
                value = cached;
                second = now;
            }
            return cached;
        }
    }
}
