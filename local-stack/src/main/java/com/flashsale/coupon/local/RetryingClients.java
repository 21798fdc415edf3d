package com.flashsale.coupon.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault suite's clients, as a careful client of the API behaves: every user claims once, with
 * an {@code Idempotency-Key} of its own, and after a 5xx or a dropped connection sends the very
 * same request again (to the next instance, when there are several) until it gets a definite
 * answer: {@code 200}, or a {@code 409}/{@code 404} with its code.
 */
final class RetryingClients {

    /** A definite answer: its status and, for an error, its code. */
    record Answer(int status, String error) {
        boolean claimed() {
            return status == 200;
        }

        boolean soldOut() {
            return status == 409 && "sold_out".equals(error);
        }

        @Override
        public String toString() {
            return error == null ? Integer.toString(status) : status + " " + error;
        }
    }

    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\"([a-z_]+)\"");
    private static final long PAUSE_MILLIS = 100;

    private final List<URI> instances;
    private final String coupon;
    private final Duration giveUpAfter;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final LongAdder retried5xx = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicInteger claimed = new AtomicInteger();

    RetryingClients(List<URI> instances, String coupon, Duration giveUpAfter) {
        this.instances = List.copyOf(instances);
        this.coupon = coupon;
        this.giveUpAfter = giveUpAfter;
    }

    /** Claims for users {@code user-0} ... on {@code clients} threads; returns when every user has its answer or gave up. */
    void claimAll(int users, int clients) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            int first = c;
            threads[c] = new Thread(() -> {
                for (int u; (u = next.getAndIncrement()) < users; ) {
                    String user = "user-" + u;
                    Answer answer = claim(user, first + u);
                    if (answer != null) {
                        answers.put(user, answer);
                        if (answer.claimed()) {
                            claimed.incrementAndGet();
                        }
                    }
                }
            }, "fault-client-" + c);
            threads[c].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /**
     * The definite answer to {@code user}'s claim, its same request sent again after every 5xx or
     * dropped connection, starting on instance {@code spread} and moving on round-robin; null if
     * none came within {@link #giveUpAfter}.
     */
    Answer claim(String user, int spread) {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString(
                "{\"user_id\":\"" + user + "\",\"coupon_name\":\"" + coupon + "\"}");
        long giveUp = System.nanoTime() + giveUpAfter.toNanos();
        for (int attempt = 0; System.nanoTime() < giveUp; attempt++) {
            URI instance = instances.get(Math.floorMod(spread + attempt, instances.size()));
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(instance.resolve("/api/coupons/claim"))
                        .header("Content-Type", "application/json").header("Idempotency-Key", "key-" + user)
                        .timeout(Duration.ofSeconds(10)).POST(body).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 500) {
                    Matcher error = ERROR.matcher(response.body());
                    return new Answer(response.statusCode(), error.find() ? error.group(1) : null);
                }
                retried5xx.increment();
            } catch (IOException e) {
                dropped.increment();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            pause();
        }
        return null;
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The definite answers so far, by user. */
    Map<String, Answer> answers() {
        return answers;
    }

    /** Users told {@code 200} so far. */
    int claimed() {
        return claimed.get();
    }

    /** Answers 5xx that were sent again. */
    long retried5xx() {
        return retried5xx.sum();
    }

    /** Requests whose connection failed or dropped, sent again. */
    long dropped() {
        return dropped.sum();
    }
}
