package com.flashsale.coupon.infra;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a real single-node KRaft Kafka broker in the foreground for a local service. Stops on
 * Ctrl-C; the broker process also exits if this one is killed.
 *
 * <pre>java -cp ... com.flashsale.coupon.infra.LocalKafka [port] [data-directory]</pre>
 */
public final class LocalKafka {

    private LocalKafka() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9092;
        Path data = Path.of(args.length > 1 ? args[1] : ".local/kafka").toAbsolutePath();
        DataDirectoryLock.acquire(data, "Kafka", "bin/local-kafka <port> <data-directory>")
                .or(() -> PortCheck.problem(port, "Kafka", "bin/local-kafka <port>")).ifPresent(problem -> {
                    System.err.println("local-kafka: " + problem);
                    System.exit(1);
                });
        KafkaBrokerProcess broker = KafkaBrokerProcess.start(Optional.of(data), port, Map.of(), true);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "kafka-stop"));
        System.out.printf("Kafka (KRaft, single node) on %s, data in %s, log in %s. Ctrl-C stops it.%n",
                broker.bootstrapServers(), data, data.resolve("broker.log"));
        stopped.await();
    }
}
