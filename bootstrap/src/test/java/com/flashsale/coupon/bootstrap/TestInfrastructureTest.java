package com.flashsale.coupon.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashsale.coupon.bootstrap.TestInfrastructure.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the tests pick their servers. */
class TestInfrastructureTest {

    @Test
    void auto_takesContainers_whenADockerEngineAnswers() {
        var choice = TestInfrastructure.choose("auto", Optional::empty);

        assertThat(choice.kind()).isEqualTo(Kind.TESTCONTAINERS);
        assertThat(choice.why()).contains("auto").contains("Docker engine answered");
    }

    @Test
    void auto_takesTheEmbeddedServers_andSaysWhy_whenNoEngineAnswers() {
        var choice = TestInfrastructure.choose("auto", () -> Optional.of("/var/run/docker.sock is missing"));

        assertThat(choice.kind()).isEqualTo(Kind.EMBEDDED);
        assertThat(choice.why()).contains("no Docker engine").contains("docker.sock is missing");
    }

    @Test
    void anExplicitChoice_isTaken_withoutAskingDocker() {
        assertThat(TestInfrastructure.choose("embedded", () -> {
            throw new AssertionError("asked Docker");
        }).kind()).isEqualTo(Kind.EMBEDDED);
        assertThat(TestInfrastructure.choose("testcontainers", () -> {
            throw new AssertionError("asked Docker");
        }).kind()).isEqualTo(Kind.TESTCONTAINERS);
    }

    @Test
    void anUnknownChoice_isRefused_namingTheSwitch() {
        assertThatThrownBy(() -> TestInfrastructure.choose("docker", Optional::empty))
                .hasMessageContaining("coupon.test.infra").hasMessageContaining("docker");
    }
}
