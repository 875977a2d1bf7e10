// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.security.testing.TestHeadendPki;

/** Real handshakes over loopback with the device as TLS server, before and after commissioning and rotation. */
@Timeout(30)
class ServerTlsContextTest {

    @TempDir
    Path dir;
    private final ExecutorService server = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        server.shutdownNow();
        assertThat(server.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void beforeCommissioningPresentsTheSelfSignedCertificateOfTheDeviceKey() throws Exception {
        DeviceKeystore identity = DeviceKeystore.open(dir, "gw-7", new BouncyCastleProvider(), Clock.systemUTC(),
                new SecureRandom());
        X509Certificate presented = identity.serverCertificate();
        assertThat(presented.getSubjectX500Principal()).isEqualTo(presented.getIssuerX500Principal());
        assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=gw-7");

        SSLContext server = identity.serverTlsContext();
        assertThat(handshake(server, trusting(presented))).isEqualTo(presented);

        // the same certificate after a restart: it was stored with the key, not made up per start
        DeviceKeystore reopened = DeviceKeystore.open(dir, "gw-7", new BouncyCastleProvider(), Clock.systemUTC(),
                new SecureRandom());
        assertThat(reopened.serverCertificate()).isEqualTo(presented);
    }

    @Test
    void followsInstallationAndRotationWithoutANewContext() throws Exception {
        TestHeadendPki headend = new TestHeadendPki("Metergate test head-end CA");
        DeviceKeystore identity = DeviceKeystore.open(dir, "gw-7", new BouncyCastleProvider(), Clock.systemUTC(),
                new SecureRandom());
        SSLContext server = identity.serverTlsContext();
        X509Certificate selfSigned = identity.serverCertificate();

        identity.install(headend.chainPem(headend.issueFromCsr(identity.certificationRequest())), headend.rootPem());
        X509Certificate signed = identity.serverCertificate();
        assertThat(signed).isNotEqualTo(selfSigned);
        assertThat(signed.getIssuerX500Principal()).isEqualTo(headend.certificate().getSubjectX500Principal());
        // the head-end issues client certificates, which JDK clients refuse for servers: browsers warn, and the
        // technician compares the certificate; here the client pins it
        assertThat(handshake(server, pinning(signed))).isEqualTo(signed);

        identity.install(headend.chainPem(headend.issueFromCsr(identity.startRotation())), headend.rootPem());
        X509Certificate rotated = identity.serverCertificate();
        assertThat(rotated.getPublicKey()).isNotEqualTo(signed.getPublicKey());
        assertThat(handshake(server, pinning(rotated))).isEqualTo(rotated);
    }

    @Test
    void serverOffersOnlyTls12And13AndNoClientKey() throws Exception {
        DeviceKeystore identity = DeviceKeystore.open(dir, "gw-7", new BouncyCastleProvider(), Clock.systemUTC(),
                new SecureRandom());
        SSLContext context = identity.serverTlsContext();
        assertThat(context.createSSLEngine().getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        ServerKeys third = new ServerKeys(3, identityKey(), new X509Certificate[] {identity.serverCertificate()});
        FollowingKeyManager keys = new FollowingKeyManager(() -> third);
        assertThat(keys.chooseClientAlias(new String[] {"EC"}, null, null)).isNull();
        assertThat(keys.chooseServerAlias("RSA", null, null)).isNull();
        assertThat(keys.chooseServerAlias("EC", null, null)).isEqualTo("device-3");
    }

    private java.security.PrivateKey identityKey() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        char[] password = java.nio.file.Files.readString(dir.resolve(DeviceKeystore.PASSWORD)).strip().toCharArray();
        try (var in = java.nio.file.Files.newInputStream(dir.resolve(DeviceKeystore.KEYSTORE))) {
            store.load(in, password);
        }
        return (java.security.PrivateKey) store.getKey("device", password);
    }

    private static SSLContext trusting(X509Certificate anchor) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("anchor", anchor);
        TrustManagerFactory tm = TrustManagerFactory.getInstance("PKIX");
        tm.init(trusted);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tm.getTrustManagers(), new SecureRandom());
        return client;
    }

    /** A client that accepts exactly this server certificate and nothing else. */
    private static SSLContext pinning(X509Certificate expected) throws Exception {
        X509TrustManager pin = new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (!chain[0].equals(expected)) {
                    throw new CertificateException("not the pinned certificate: " + chain[0].getSubjectX500Principal());
                }
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("client side only");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {pin}, new SecureRandom());
        return client;
    }

    /** One handshake from a client that trusts only what {@code client} trusts; returns the server's certificate. */
    private X509Certificate handshake(SSLContext serverContext, SSLContext client) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0,
                1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(10_000);
            Future<Integer> peer = server.submit(() -> echoOne(listener));
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                    listener.getLocalPort())) {
                socket.setSoTimeout(5000);
                socket.startHandshake();
                socket.getOutputStream().write('x');
                socket.getOutputStream().flush();
                assertThat(socket.getInputStream().read()).isEqualTo('y');
                assertThat(peer.get(10, TimeUnit.SECONDS)).isEqualTo((int) 'x');
                return (X509Certificate) socket.getSession().getPeerCertificates()[0];
            }
        }
    }

    private static int echoOne(SSLServerSocket listener) throws IOException {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
            socket.setSoTimeout(5000);
            int read = socket.getInputStream().read();
            socket.getOutputStream().write('y');
            socket.getOutputStream().flush();
            return read;
        }
    }
}
