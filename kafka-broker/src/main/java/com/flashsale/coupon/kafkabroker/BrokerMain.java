package com.flashsale.coupon.kafkabroker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;

/**
 * A single-node KRaft broker (broker and controller in one process) for tests and local runs.
 *
 * <pre>java -cp $(cat target/broker-classpath.txt):target/classes \
 *     com.flashsale.coupon.kafkabroker.BrokerMain PORT CONTROLLER_PORT DATA_DIR [key=value ...]</pre>
 *
 * It formats the data directory on first use, prints {@code READY localhost:PORT} on standard
 * output once the broker accepts connections, and exits when its standard input closes: the
 * process that started it holds that pipe, so when that process dies, even by {@code kill -9},
 * the broker goes with it.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: BrokerMain PORT CONTROLLER_PORT DATA_DIR [key=value ...]");
            System.exit(64);
        }
        int port = Integer.parseInt(args[0]);
        int controllerPort = Integer.parseInt(args[1]);
        Path dataDir = Path.of(args[2]).toAbsolutePath();
        Files.createDirectories(dataDir);

        Properties config = new Properties();
        config.setProperty("process.roles", "broker,controller");
        config.setProperty("node.id", "1");
        config.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
        config.setProperty("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        config.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + port);
        config.setProperty("controller.listener.names", "CONTROLLER");
        config.setProperty("inter.broker.listener.name", "PLAINTEXT");
        config.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.setProperty("log.dirs", dataDir.resolve("logs").toString());
        config.setProperty("num.partitions", "1");
        config.setProperty("auto.create.topics.enable", "false");
        config.setProperty("offsets.topic.replication.factor", "1");
        config.setProperty("offsets.topic.num.partitions", "3");
        config.setProperty("transaction.state.log.replication.factor", "1");
        config.setProperty("transaction.state.log.min.isr", "1");
        config.setProperty("share.coordinator.state.topic.replication.factor", "1");
        config.setProperty("share.coordinator.state.topic.min.isr", "1");
        // a lone consumer joins its group at once instead of waiting 3 s for company
        config.setProperty("group.initial.rebalance.delay.ms", "0");
        // after a kill -9 the broker comes back as a new incarnation of node 1, which the controller
        // refuses while the old one's session lasts (9 s by default): measured 13.9 s from restart to
        // the first acknowledged produce, 5.2 s with a 2 s session (README, Several instances)
        config.setProperty("broker.session.timeout.ms", "2000");
        config.setProperty("broker.heartbeat.interval.ms", "500");
        // lets the services ask for a 3 s session, so that a killed worker's partitions move on
        // within seconds (the default minimum is 6 s)
        config.setProperty("group.min.session.timeout.ms", "1000");
        // room for the largest reply (a coupon with 100,000 holders; README, Message sizes)
        config.setProperty("message.max.bytes", "33554432");
        config.setProperty("replica.fetch.max.bytes", "33554432");
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                System.err.println("not a key=value setting: " + args[i]);
                System.exit(64);
            }
            config.setProperty(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Path configFile = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            config.store(out, "written by BrokerMain");
        }

        Path clusterIdFile = dataDir.resolve("cluster.id");
        if (!Files.exists(clusterIdFile)) {
            Files.writeString(clusterIdFile, randomClusterId());
        }
        int formatted = kafka.tools.StorageTool.execute(new String[] {
            "format", "--ignore-formatted",
            // one argument with "=": a base64 id may begin with '-', which would read as an option
            "--cluster-id=" + Files.readString(clusterIdFile).trim(), "-c", configFile.toString()
        }, new PrintStream(OutputStream.nullOutputStream()));
        if (formatted != 0) {
            System.err.println("could not format " + dataDir + " for KRaft (exit " + formatted + ")");
            System.exit(1);
        }

        Thread broker = new Thread(() -> kafka.Kafka.main(new String[] {configFile.toString()}), "kafka-main");
        broker.start();
        awaitPort(port);
        System.out.println("READY localhost:" + port);
        System.out.flush();

        exitWhenStdinCloses(System.in);
    }

    private static String randomClusterId() {
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        System.err.println("broker did not open port " + port + " within 120 s");
        System.exit(1);
    }

    private static void exitWhenStdinCloses(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // anything written is ignored; only the end of the stream matters
            }
        } catch (IOException closed) {
            // a broken pipe means the parent is gone, same as end of stream
        }
        // runs Kafka's own shutdown hook, which stops the broker cleanly
        System.exit(0);
    }
}
