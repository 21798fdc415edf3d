package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.flashsale.coupon.infra.KafkaBrokerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker the tests and the local stack start. */
class EmbeddedBrokerTest {

    @Test
    void aClusterIdThatBeginsWithADash_isFormatted_andTheBrokerStarts(@TempDir Path data) throws Exception {
        // one random id in 64 begins with '-': the storage tool once read it as an option and refused
        Files.writeString(data.resolve("cluster.id"), "-1Ru10vfQfWkM2W9YXVm6g");

        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(Optional.of(data), 0, Map.of(), true)) {
            assertThat(broker.bootstrapServers()).startsWith("localhost:");
        }
    }
}
