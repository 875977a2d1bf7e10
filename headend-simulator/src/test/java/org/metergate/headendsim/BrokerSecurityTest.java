// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BrokerSecurityTest {

    @TempDir
    static Path dir;
    static Pki pki;
    static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        pki = Pki.create(dir);
        broker = EmbeddedBroker.mutualTls(pki).build().start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static TestClient as(String cn) throws Exception {
        return TestClient.connect(broker.uri(), pki.sslContext(pki.identityFor(cn)));
    }

    @Test
    void gatewayWithCertificateFromTheCaPublishesAndReceivesItsOwnTopics() throws Exception {
        try (TestClient gw = as("gw-own")) {
            assertThat(gw.subscribe("mg/v1/gw-own/cmd/+")).containsExactly(1);
            try (TestClient headend = as(Pki.HEADEND_CN)) {
                assertThat(headend.subscribe("mg/v1/+/readings")).containsExactly(1);
                assertThat(gw.publish("mg/v1/gw-own/readings", "{\"n\":1}", false)).isZero();
                assertThat(headend.next().payload()).isEqualTo("{\"n\":1}");
                assertThat(headend.publish("mg/v1/gw-own/cmd/get-status", "{}", false)).isZero();
                assertThat(gw.next().topic()).isEqualTo("mg/v1/gw-own/cmd/get-status");
            }
        }
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
        assertThatThrownBy(() -> TestClient.connect(broker.uri(), pki.sslContextWithoutCertificate()).close())
                .isInstanceOf(MqttException.class);
    }

    @Test
    void certificateFromForeignCaIsRefused() throws Exception {
        Pki.Identity foreign = pki.issueFromForeignCa("gw-foreign");
        assertThatThrownBy(() -> TestClient.connect(broker.uri(), pki.sslContext(foreign)).close())
                .isInstanceOf(MqttException.class);
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        Pki.Identity expired = pki.issueExpired("gw-expired");
        assertThat(expired.certificate().getNotAfter()).isInThePast();
        assertThatThrownBy(() -> TestClient.connect(broker.uri(), pki.sslContext(expired)).close())
                .isInstanceOf(MqttException.class);
    }

    @Test
    void certificateWhoseCnIsNoGatewayIdIsRefused() throws Exception {
        // a dot would let CN "gw.x" match the address pattern of gateway "gw"'s sub-levels
        Pki.Identity dotted = pki.issue("gw.x");
        assertThatThrownBy(() -> TestClient.connect(broker.uri(), pki.sslContext(dotted)).close())
                .isInstanceOf(MqttException.class);
    }

    @Test
    void gatewayCannotSubscribeToAnotherGatewaysTopics() throws Exception {
        try (TestClient gw1 = as("gw-a1")) {
            int[] codes = gw1.subscribe("mg/v1/gw-a2/cmd/+", "mg/v1/+/status", "mg/v1/#", "#", "mg/v1/gw-a1/#");
            assertThat(codes[0]).isGreaterThanOrEqualTo(0x80);
            assertThat(codes[1]).isGreaterThanOrEqualTo(0x80);
            assertThat(codes[2]).isGreaterThanOrEqualTo(0x80);
            assertThat(codes[3]).isGreaterThanOrEqualTo(0x80);
            assertThat(codes[4]).isEqualTo(1);
            try (TestClient headend = as(Pki.HEADEND_CN)) {
                headend.publish("mg/v1/gw-a2/cmd/read-now", "{\"secret\":true}", false);
                headend.publish("mg/v1/gw-a1/cmd/read-now", "{\"marker\":true}", false);
                // the marker comes after the other gateway's command; only the marker may arrive
                assertThat(gw1.next().topic()).isEqualTo("mg/v1/gw-a1/cmd/read-now");
                assertThat(gw1.received).isEmpty();
            }
        }
    }

    @Test
    void gatewayCannotPublishOnAnotherGatewaysTopics() throws Exception {
        try (TestClient headend = as(Pki.HEADEND_CN); TestClient gw1 = as("gw-b1")) {
            headend.subscribe("mg/v1/gw-b2/#", "mg/v1/gw-b1/#");
            int code;
            try {
                code = gw1.publish("mg/v1/gw-b2/readings", "{\"forged\":true}", false);
            } catch (MqttException e) {
                code = e.getReasonCode();
            }
            assertThat(code).isGreaterThanOrEqualTo(0x80);
            gw1.publish("mg/v1/gw-b1/readings", "{\"marker\":true}", false);
            assertThat(headend.next().topic()).isEqualTo("mg/v1/gw-b1/readings");
            assertThat(headend.received).isEmpty();
        }
    }

    @Test
    void headendMayUseSharedSubscriptionsOverAllGateways() throws Exception {
        try (TestClient headend = as(Pki.HEADEND_CN); TestClient gw = as("gw-shared")) {
            assertThat(headend.subscribe("$share/headend/mg/v1/+/readings")).containsExactly(1);
            gw.publish("mg/v1/gw-shared/readings", "{\"s\":1}", false);
            assertThat(headend.next().topic()).isEqualTo("mg/v1/gw-shared/readings");
        }
    }

    @Test
    void retainedStatusAndWillReachTheHeadend() throws Exception {
        String status = "mg/v1/gw-will/status";
        MqttMessage will = new MqttMessage("{\"state\":\"offline\"}".getBytes());
        will.setQos(1);
        will.setRetained(true);
        TestClient gw = TestClient.connect(broker.uri(), pki.sslContext(pki.identityFor("gw-will")),
                (MqttConnectionOptions o) -> o.setWill(status, will));
        try {
            assertThat(gw.publish(status, "{\"state\":\"online\"}", true)).isZero();
            try (TestClient late = as(Pki.HEADEND_CN)) {
                late.subscribe(status);
                TestClient.Received birth = late.next();
                assertThat(birth.payload()).isEqualTo("{\"state\":\"online\"}");
                assertThat(birth.retained()).isTrue();
                assertThat(broker.dropClient(gw.client.getClientId())).isTrue();
                assertThat(late.next().payload()).isEqualTo("{\"state\":\"offline\"}");
            }
            try (TestClient later = as(Pki.HEADEND_CN)) {
                later.subscribe(status);
                TestClient.Received retained = later.next();
                assertThat(retained.payload()).isEqualTo("{\"state\":\"offline\"}");
                assertThat(retained.retained()).isTrue();
            }
        } finally {
            gw.close();
        }
    }

    @Test
    void certificateSignedFromAGatewayCsrIsConfinedByItsCn() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        java.security.KeyPair keys = g.generateKeyPair();
        java.io.StringWriter csr = new java.io.StringWriter();
        try (org.bouncycastle.openssl.jcajce.JcaPEMWriter w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(csr)) {
            // the subject the security bundle's mg:csr writes
            w.writeObject(new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                    new javax.security.auth.x500.X500Principal("CN=gw-csr, O=Metergate gateway"), keys.getPublic())
                    .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                            .build(keys.getPrivate())));
        }
        java.security.cert.Certificate cert = java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(pki.signCsr(csr.toString()).getBytes()));
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "device-test".toCharArray();
        ks.setKeyEntry("device", keys.getPrivate(), pw, new java.security.cert.Certificate[] {cert, pki.caCertificate()});
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, pw);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", pki.caCertificate());
        tmf.init(trust);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        try (TestClient gw = TestClient.connect(broker.uri(), ctx)) {
            assertThat(gw.subscribe("mg/v1/gw-csr/cmd/+")[0]).isEqualTo(1);
            assertThat(gw.subscribe("mg/v1/gw-other/cmd/+")[0]).isGreaterThanOrEqualTo(0x80);
            assertThat(gw.publish("mg/v1/gw-csr/status", "{}", false)).isZero();
        }
    }
}
