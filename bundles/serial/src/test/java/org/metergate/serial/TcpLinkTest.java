// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metergate.api.link.ByteLink;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkSettings;
import org.metergate.api.link.LinkTimeoutException;
import org.metergate.api.link.LinkUnavailableException;
import org.metergate.api.link.Parity;

@Timeout(10)
class TcpLinkTest {

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(2);

    private ServerSocket server;

    @BeforeEach
    void startServer() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    private LinkAddress serverAddress() {
        return LinkAddress.parse("tcp://127.0.0.1:" + server.getLocalPort());
    }

    @Test
    void bytesTravelBothWays() throws IOException {
        try (ByteLink link = ByteLinks.open(serverAddress(), LinkSettings.IEC_SIGN_ON, OPEN_TIMEOUT);
                Socket peer = server.accept()) {
            link.output().write("/?!\r\n".getBytes(StandardCharsets.US_ASCII));
            link.output().flush();
            assertThat(peer.getInputStream().readNBytes(5)).asString(StandardCharsets.US_ASCII).isEqualTo("/?!\r\n");

            peer.getOutputStream().write("/ABC5meter\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(link.input().readNBytes(12)).asString(StandardCharsets.US_ASCII).isEqualTo("/ABC5meter\r\n");
            assertThat(link.isOpen()).isTrue();
        }
    }

    @Test
    void silentServerGivesLinkTimeout() throws IOException {
        try (ByteLink link = ByteLinks.open(serverAddress(), LinkSettings.IEC_SIGN_ON, OPEN_TIMEOUT);
                Socket peer = server.accept()) {
            link.setReadTimeout(Duration.ofMillis(150));
            assertThat(link.readTimeout()).isEqualTo(Duration.ofMillis(150));
            assertThatThrownBy(() -> link.input().read()).isInstanceOf(LinkTimeoutException.class)
                    .hasMessageContaining("150 ms");
            // the link stays usable after a timeout
            peer.getOutputStream().write(0x06);
            assertThat(link.input().read()).isEqualTo(0x06);
        }
    }

    @Test
    void configureIsAcceptedAndRecorded() throws IOException {
        try (ByteLink link = ByteLinks.open(serverAddress(), LinkSettings.IEC_SIGN_ON, OPEN_TIMEOUT);
                Socket peer = server.accept()) {
            LinkSettings eightN1 = new LinkSettings(9600, 8, Parity.NONE, 1);
            link.configure(eightN1);
            assertThat(link.settings()).isEqualTo(eightN1);
            link.output().write(1);
            assertThat(peer.getInputStream().read()).isEqualTo(1);
        }
    }

    @Test
    void discardInputDropsWhatAlreadyArrived() throws Exception {
        try (ByteLink link = ByteLinks.open(serverAddress(), LinkSettings.IEC_SIGN_ON, OPEN_TIMEOUT);
                Socket peer = server.accept()) {
            peer.getOutputStream().write(new byte[] {1, 2, 3});
            peer.getOutputStream().flush();
            InputStream in = link.input();
            awaitAvailable(in, 3);
            link.discardInput();
            peer.getOutputStream().write(9);
            assertThat(in.read()).isEqualTo(9);
        }
    }

    @Test
    void closedByServerIsAnErrorNotMinusOne() throws IOException {
        try (ByteLink link = ByteLinks.open(serverAddress(), LinkSettings.IEC_SIGN_ON, OPEN_TIMEOUT)) {
            server.accept().close();
            assertThatThrownBy(() -> link.input().read()).isInstanceOf(java.io.EOFException.class)
                    .hasMessageContaining("closed the connection");
        }
    }

    @Test
    void refusedPortSaysSo() throws IOException {
        int port = server.getLocalPort();
        server.close();
        assertThatThrownBy(() -> ByteLinks.open(LinkAddress.tcp("127.0.0.1", port), LinkSettings.IEC_SIGN_ON,
                OPEN_TIMEOUT)).isInstanceOf(LinkUnavailableException.class)
                .hasMessage("serial server 127.0.0.1:" + port
                        + " refused the connection — is ser2net running and the port right?");
    }

    @Test
    void unknownHostSaysSo() {
        assertThatThrownBy(() -> ByteLinks.open(LinkAddress.tcp("no-such-host.invalid", 4001),
                LinkSettings.IEC_SIGN_ON, OPEN_TIMEOUT)).isInstanceOf(LinkUnavailableException.class)
                .hasMessageStartingWith("serial server no-such-host.invalid:4001")
                .hasMessageContaining("unknown");
    }

    @Test
    void unreachableHostGivesUpWithinTheOpenTimeout() {
        // TEST-NET-1 (RFC 5737) is never routed: the connect times out, or a firewall or the network answers first
        assertThatThrownBy(() -> ByteLinks.open(LinkAddress.tcp("192.0.2.1", 4001), LinkSettings.IEC_SIGN_ON,
                Duration.ofMillis(300))).isInstanceOf(LinkUnavailableException.class)
                .hasMessageStartingWith("serial server 192.0.2.1:4001 ")
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("did not answer within 300 ms",
                        "unreachable", "could not be reached", "refused the connection"));
    }

    @Test
    void readAfterCloseFails() throws IOException {
        ByteLink link = ByteLinks.open(serverAddress(), LinkSettings.IEC_SIGN_ON, OPEN_TIMEOUT);
        try (Socket peer = server.accept()) {
            OutputStream out = link.output();
            link.close();
            assertThat(link.isOpen()).isFalse();
            assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
            assertThatThrownBy(link::input).isInstanceOf(IOException.class).hasMessageContaining("closed");
        }
    }

    static void awaitAvailable(InputStream in, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (in.available() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(in.available()).isGreaterThanOrEqualTo(count);
    }
}
