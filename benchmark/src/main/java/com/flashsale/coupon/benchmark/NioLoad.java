package com.flashsale.coupon.benchmark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A closed-loop HTTP/1.1 load on one selector thread: {@code connections} keep-alive connections,
 * each sending its next request as soon as the last one is answered. Cheap enough per request to
 * leave the CPU to the service (the benchmark measures that by running it against /health/liveness).
 * Every request is recorded: start, latency, status and outcome.
 */
final class NioLoad {

    /** One request to send, with a tag recorded alongside its sample (a user number, say). */
    record Request(byte[] bytes, long tag) {
    }

    /** Supplies requests; {@code null} means this connection is done. */
    interface Requests {
        Request next(int connection, long sequence);
    }

    /** Classifies a response body into a small outcome code. */
    interface Classifier {
        byte classify(int status, byte[] buffer, int bodyStart, int bodyLength);
    }

    /** Everything a run recorded, in completion order. */
    static final class Samples {
        long[] startNanos = new long[1 << 16];
        long[] latencyNanos = new long[1 << 16];
        short[] status = new short[1 << 16];
        byte[] outcome = new byte[1 << 16];
        long[] tag = new long[1 << 16];
        int size;
        long errors;
        long origin;

        void add(long start, long latency, int code, byte kind, long requestTag) {
            if (size == startNanos.length) {
                int grown = size * 2;
                startNanos = Arrays.copyOf(startNanos, grown);
                latencyNanos = Arrays.copyOf(latencyNanos, grown);
                status = Arrays.copyOf(status, grown);
                outcome = Arrays.copyOf(outcome, grown);
                tag = Arrays.copyOf(tag, grown);
            }
            tag[size] = requestTag;
            startNanos[size] = start;
            latencyNanos[size] = latency;
            status[size] = (short) code;
            outcome[size] = kind;
            size++;
        }
    }

    private NioLoad() {
    }

    static byte[] get(String host, int port, String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] postJson(String host, int port, String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static final class Connection {
        final int index;
        final SocketChannel channel;
        ByteBuffer out;
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        long sequence;
        long sentAt;
        long tag;

        Connection(int index, SocketChannel channel) {
            this.index = index;
            this.channel = channel;
        }
    }

    /** Runs until every connection is done or {@code maxNanos} have passed. */
    static Samples run(InetSocketAddress address, int connections, long maxNanos, Requests requests,
                       Classifier classifier) throws IOException {
        Samples samples = new Samples();
        samples.origin = System.nanoTime();
        long end = samples.origin + maxNanos;
        int open = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                SocketChannel channel = SocketChannel.open(address);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(false);
                Connection connection = new Connection(i, channel);
                SelectionKey key = channel.register(selector, 0, connection);
                if (send(connection, key, requests)) {
                    open++;
                } else {
                    channel.close();
                }
            }
            while (open > 0 && System.nanoTime() < end) {
                selector.select(100);
                var keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Connection connection = (Connection) key.attachment();
                    try {
                        if (key.isWritable()) {
                            connection.channel.write(connection.out);
                            if (!connection.out.hasRemaining()) {
                                key.interestOps(SelectionKey.OP_READ);
                            }
                        } else if (key.isReadable()) {
                            if (connection.channel.read(connection.in) < 0) {
                                throw new IOException("connection closed by the server");
                            }
                            if (!connection.in.hasRemaining()) {
                                connection.in = ByteBuffer.allocate(connection.in.capacity() * 2)
                                        .put(connection.in.flip());
                            }
                            if (complete(connection, samples, classifier) && !send(connection, key, requests)) {
                                key.cancel();
                                connection.channel.close();
                                open--;
                            }
                        }
                    } catch (IOException e) {
                        samples.errors++;
                        key.cancel();
                        connection.channel.close();
                        open--;
                    }
                }
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        }
        return samples;
    }

    private static boolean send(Connection connection, SelectionKey key, Requests requests) throws IOException {
        Request request = requests.next(connection.index, connection.sequence++);
        if (request == null) {
            return false;
        }
        connection.tag = request.tag();
        connection.out = ByteBuffer.wrap(request.bytes());
        connection.sentAt = System.nanoTime();
        connection.channel.write(connection.out);
        key.interestOps(connection.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        return true;
    }

    /** Parses one response if it is all there; records it and keeps any bytes after it. */
    private static boolean complete(Connection connection, Samples samples, Classifier classifier) {
        ByteBuffer in = connection.in;
        byte[] bytes = in.array();
        int length = in.position();
        int headerEnd = indexOf(bytes, length, (byte) '\r', (byte) '\n', (byte) '\r', (byte) '\n');
        if (headerEnd < 0) {
            return false;
        }
        int status = (bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + (bytes[11] - '0');
        int contentLength = contentLength(bytes, headerEnd);
        int total = headerEnd + 4 + contentLength;
        if (length < total) {
            return false;
        }
        long now = System.nanoTime();
        samples.add(connection.sentAt - samples.origin, now - connection.sentAt, status,
                classifier.classify(status, bytes, headerEnd + 4, contentLength), connection.tag);
        in.flip();
        in.position(total);
        in.compact();
        return true;
    }

    private static int contentLength(byte[] bytes, int headerEnd) {
        String head = new String(bytes, 0, headerEnd, StandardCharsets.US_ASCII).toLowerCase();
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return 0;
        }
        int from = at + "content-length:".length();
        int to = head.indexOf('\r', from);
        return Integer.parseInt(head.substring(from, to < 0 ? head.length() : to).trim());
    }

    static int indexOf(byte[] bytes, int length, byte... pattern) {
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
