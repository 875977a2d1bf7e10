// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiTest {

    @TempDir
    Path dir;

    @Test
    void createsCaBrokerAndHeadendAndReopensTheSameCa() throws Exception {
        Pki pki = Pki.create(dir.resolve("a"));
        assertThat(pki.dir().resolve("ca.pem")).exists();
        assertThat(pki.truststore()).exists();
        X509Certificate broker = pki.broker().certificate();
        broker.verify(pki.caCertificate().getPublicKey());
        assertThat(broker.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))))
                .contains("127.0.0.1", "localhost");
        assertThat(pki.dir().resolve("headend.p12")).exists();

        Pki again = Pki.openOrCreate(pki.dir());
        assertThat(again.caCertificate()).isEqualTo(pki.caCertificate());
        assertThat(again.password()).isEqualTo(pki.password());
        assertThatThrownBy(() -> Pki.create(pki.dir())).hasMessageContaining("already exists");
    }

    @Test
    void passwordsAreRandomPerDirectory() throws Exception {
        Pki a = Pki.create(dir.resolve("a"));
        Pki b = Pki.create(dir.resolve("b"));
        assertThat(a.password()).isNotEqualTo(b.password()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(new String(a.password())).isNotEqualTo("changeit");
    }

    @Test
    void gatewayIdentityHasTheGatewayIdAsCnAndPemFiles() throws Exception {
        Pki pki = Pki.create(dir);
        Pki.Identity gw = pki.identityFor("gw1");
        assertThat(gw.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=gw1");
        gw.certificate().verify(pki.caCertificate().getPublicKey());
        assertThat(Files.readString(gw.certificatePem())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(gw.privateKeyPem())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(pki.identityFor("gw1").certificate()).isEqualTo(gw.certificate()); // kept, not reissued
        assertThatThrownBy(() -> pki.issue("gw.1/#")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gw.1/#");
    }

    @Test
    void signsACertificateRequestKeepingItsSubject() throws Exception {
        Pki pki = Pki.create(dir);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair keys = g.generateKeyPair();
        StringWriter csr = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(csr)) {
            w.writeObject(new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=gw-csr"), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        }
        String pem = pki.signCsr(csr.toString());
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes()));
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=gw-csr");
        assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());
        cert.verify(pki.caCertificate().getPublicKey());
        assertThatThrownBy(() -> pki.signCsr("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
                .hasMessageContaining("certificate request");
        assertThatThrownBy(() -> pki.signCsr(Files.readString(pki.identityFor("gw-key").privateKeyPem())))
                .hasMessageContaining("private key");
    }

    @Test
    void openingAMissingPkiSaysHowToMakeOne() {
        assertThatThrownBy(() -> Pki.open(dir.resolve("none"))).hasMessageContaining("--pki-dir");
    }
}
