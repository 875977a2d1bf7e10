// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for the tests: a head-end CA, the broker's server certificate for 127.0.0.1, client
 * certificates signed by that CA, and one from a foreign CA. Keystores are PKCS12 files in a temp folder.
 */
final class TestPki {

    static final char[] PASSWORD = "changeit".toCharArray();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    final Path dir;
    final Path serverKeystore;
    final Path truststore;
    private final KeyPair caKeys;
    private final X509Certificate caCert;

    TestPki(Path dir) throws Exception {
        this.dir = dir;
        caKeys = ecKeys();
        caCert = sign("CN=Metergate test head-end CA", caKeys, "CN=Metergate test head-end CA", caKeys.getPrivate(),
                true, false);
        KeyPair serverKeys = ecKeys();
        X509Certificate server = sign("CN=127.0.0.1", serverKeys, "CN=Metergate test head-end CA",
                caKeys.getPrivate(), false, true);
        serverKeystore = writeKeystore("broker.p12", serverKeys.getPrivate(), server, caCert);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", caCert);
        truststore = dir.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(truststore)) {
            trust.store(out, PASSWORD);
        }
    }

    /** A client context presenting a certificate for {@code cn} signed by the head-end CA. */
    SSLContext client(String cn) throws Exception {
        KeyPair keys = ecKeys();
        X509Certificate cert = sign("CN=" + cn, keys, "CN=Metergate test head-end CA", caKeys.getPrivate(), false,
                false);
        return context(keystore(keys.getPrivate(), cert, caCert));
    }

    /** A client context whose certificate comes from a CA the broker does not trust. */
    SSLContext foreignClient(String cn) throws Exception {
        KeyPair rogueCa = ecKeys();
        KeyPair keys = ecKeys();
        X509Certificate cert = sign("CN=" + cn, keys, "CN=Rogue CA", rogueCa.getPrivate(), false, false);
        return context(keystore(keys.getPrivate(), cert));
    }

    /** A client context that trusts the broker but presents no certificate. */
    SSLContext clientWithoutCertificate() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, trustManagers().getTrustManagers(), null);
        return ctx;
    }

    private SSLContext context(KeyStore keys) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), trustManagers().getTrustManagers(), null);
        return ctx;
    }

    private TrustManagerFactory trustManagers() throws GeneralSecurityException {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", caCert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf;
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyStore keystore(PrivateKey key, Certificate... chain) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", key, PASSWORD, chain);
        return ks;
    }

    private Path writeKeystore(String name, PrivateKey key, Certificate... chain) throws Exception {
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p)) {
            keystore(key, chain).store(out, PASSWORD);
        }
        return p;
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
            boolean ca, boolean loopbackServer) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))), new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (loopbackServer) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }
}
