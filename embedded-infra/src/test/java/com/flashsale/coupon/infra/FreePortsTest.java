package com.flashsale.coupon.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void portsComeFromBelowTheEphemeralRange_whereNoOutgoingConnectionTakesThem() {
        for (int i = 0; i < 20; i++) {
            int port = FreePorts.one();
            assertThat(port).isBetween(10_000, FreePorts.ephemeralStart() - 1);
        }
    }

    @Test
    void aRunOfPorts_isFreeFromItsFirstToItsLast() throws Exception {
        int first = FreePorts.run(3);
        assertThat(first + 2).isLessThan(FreePorts.ephemeralStart());
        for (int port = first; port < first + 3; port++) {
            try (ServerSocket server = new ServerSocket()) {
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(port));
                assertThat(server.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void aPortSomethingListensOn_isNotFree_untilItCloses() throws Exception {
        int port = FreePorts.one();
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(port));
            assertThat(FreePorts.isFree(port)).isFalse();
        }
        assertThat(FreePorts.isFree(port)).isTrue();
    }
}
