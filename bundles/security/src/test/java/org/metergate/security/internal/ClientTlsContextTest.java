// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.security.testing.TestHeadendPki;

/** Real handshakes over loopback against a server that demands a client certificate. */
@Timeout(20)
class ClientTlsContextTest {

    @TempDir
    Path dir;
    private final ExecutorService server = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        server.shutdownNow();
        assertThat(server.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void handshakeWithTheHeadEndPresentsTheDeviceCertificate() throws Exception {
        TestHeadendPki headend = new TestHeadendPki("Metergate test head-end CA");
        DeviceKeystore identity = headend.commission(dir, "gw-7");

        try (SSLServerSocket listener = listen(headend.serverContext("127.0.0.1"))) {
            Future<String> peer = server.submit(() -> acceptOne(listener));
            try (SSLSocket client = (SSLSocket) identity.clientTlsContext().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                client.setSoTimeout(5000);
                assertThat(client.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
                client.startHandshake();
                assertThat(client.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
                client.getOutputStream().write('x');
                client.getOutputStream().flush();
                assertThat(client.getInputStream().read()).isEqualTo('y');
            }
            assertThat(peer.get(10, TimeUnit.SECONDS)).contains("CN=gw-7");
        }
    }

    @Test
    void refusesABrokerCertifiedByAnotherCa() throws Exception {
        TestHeadendPki headend = new TestHeadendPki("Metergate test head-end CA");
        TestHeadendPki impostor = new TestHeadendPki("Impostor CA");
        DeviceKeystore identity = headend.commission(dir, "gw-7");

        try (SSLServerSocket listener = listen(impostor.serverContext("127.0.0.1"))) {
            Future<String> peer = server.submit(() -> acceptOne(listener));
            try (SSLSocket client = (SSLSocket) identity.clientTlsContext().getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                client.setSoTimeout(5000);
                assertThatThrownBy(client::startHandshake).isInstanceOf(SSLException.class);
            }
            assertThatThrownBy(() -> peer.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void engineAndDefaultParametersAreLimitedToTls12And13() throws Exception {
        SSLContext context = new TestHeadendPki("CA").commission(dir, "gw-7").clientTlsContext();

        assertThat(context.createSSLEngine().getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(context.getDefaultSSLParameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(((SSLSocket) context.getSocketFactory().createSocket()).getEnabledProtocols())
                .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    }

    private static SSLServerSocket listen(SSLContext context) throws IOException {
        SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress());
        listener.setNeedClientAuth(true);
        listener.setSoTimeout(10_000);
        return listener;
    }

    /** Accepts one client, completes the handshake, echoes one byte; returns the client certificate subject. */
    private static String acceptOne(SSLServerSocket listener) throws IOException {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            String subject = ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
            if (socket.getInputStream().read() == 'x') {
                socket.getOutputStream().write('y');
                socket.getOutputStream().flush();
            }
            return subject;
        }
    }
}
