// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemReader;
import org.metergate.security.internal.DeviceKeystore;

/**
 * A throw-away head-end PKI for tests: a CA (EC P-256), optional intermediate CAs, device certificates issued
 * from a gateway's CSR, and a broker server certificate for 127.0.0.1. {@link #commission} gives a gateway
 * directory with a fully installed identity in one call, for tests of modules that consume
 * {@link org.metergate.api.security.DeviceIdentity}.
 */
public final class TestHeadendPki {

    private final BouncyCastleProvider bc = new BouncyCastleProvider();
    private final SecureRandom random = new SecureRandom();
    private final KeyPair keys;
    private final X509Certificate certificate;
    private final List<X509Certificate> issuerChain; // this CA's own chain above it, for intermediates

    /** A new self-signed root CA named {@code CN=<name>}, valid from an hour ago for ten years. */
    public TestHeadendPki(String name) throws GeneralSecurityException {
        this.keys = ecKeys();
        this.certificate = build(new X500Name("CN=" + name), keys.getPublic(), new X500Name("CN=" + name),
                keys.getPrivate(), Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(3650)),
                Role.CA, null);
        this.issuerChain = List.of();
    }

    private TestHeadendPki(KeyPair keys, X509Certificate certificate, List<X509Certificate> issuerChain) {
        this.keys = keys;
        this.certificate = certificate;
        this.issuerChain = issuerChain;
    }

    /** What a certificate is for. */
    public enum Role {
        CA, CLIENT, SERVER, NO_CLIENT_AUTH
    }

    /** The CA certificate (for a root: what the gateway installs as head-end CA). */
    public X509Certificate certificate() {
        return certificate;
    }

    /** An intermediate CA signed by this one. */
    public TestHeadendPki intermediate(String name) throws GeneralSecurityException {
        KeyPair sub = ecKeys();
        X509Certificate cert = issue(sub.getPublic(), "CN=" + name, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(3650)), Role.CA);
        List<X509Certificate> above = new ArrayList<>();
        above.add(certificate);
        above.addAll(issuerChain);
        return new TestHeadendPki(sub, cert, List.copyOf(above));
    }

    /** A certificate for {@code publicKey} with subject {@code subject} (e.g. "CN=gw-1,O=Metergate gateway"). */
    public X509Certificate issue(PublicKey publicKey, String subject, Instant notBefore, Instant notAfter, Role role)
            throws GeneralSecurityException {
        return build(new X500Name(subject), publicKey, X500Name.getInstance(certificate.getSubjectX500Principal()
                .getEncoded()), keys.getPrivate(), notBefore, notAfter, role, null);
    }

    /** Verifies a PEM CSR's signature and issues a client certificate for its subject and key, valid a year. */
    public X509Certificate issueFromCsr(String csrPem) throws GeneralSecurityException, IOException {
        PKCS10CertificationRequest request;
        try (PemReader reader = new PemReader(new StringReader(csrPem))) {
            request = new PKCS10CertificationRequest(reader.readPemObject().getContent());
        }
        try {
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(bc)
                    .build(request.getSubjectPublicKeyInfo()))) {
                throw new GeneralSecurityException("CSR signature does not verify");
            }
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.pkcs.PKCSException e) {
            throw new GeneralSecurityException(e);
        }
        PublicKey key = new JcaPKCS10CertificationRequest(request).setProvider(bc).getPublicKey();
        return issue(key, request.getSubject().toString(), Instant.now().minus(Duration.ofMinutes(5)),
                Instant.now().plus(Duration.ofDays(365)), Role.CLIENT);
    }

    /** The chain a head-end returns for a device certificate: the certificate, then intermediates below the root. */
    public String chainPem(X509Certificate device) throws GeneralSecurityException {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(device);
        if (!issuerChain.isEmpty()) {
            chain.add(certificate);
            chain.addAll(issuerChain.subList(0, issuerChain.size() - 1));
        }
        return pem(chain.toArray(new X509Certificate[0]));
    }

    /** The root CA certificate(s) a gateway installs as head-end CA, as PEM. */
    public String rootPem() throws GeneralSecurityException {
        return pem(issuerChain.isEmpty() ? certificate : issuerChain.get(issuerChain.size() - 1));
    }

    /** Server-side TLS context for a broker on {@code host} (IP literal or DNS name); trusts this CA's clients. */
    public SSLContext serverContext(String host) throws GeneralSecurityException {
        char[] password = "test".toCharArray();
        try {
            KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            km.init(serverKeyStore(host, password), password);
            TrustManagerFactory tm = TrustManagerFactory.getInstance("PKIX");
            tm.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(km.getKeyManagers(), tm.getTrustManagers(), random);
            return context;
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** PKCS#12 keystore with a server key and certificate for {@code host}, e.g. for a broker's keyStorePath. */
    public KeyStore serverKeyStore(String host, char[] password) throws GeneralSecurityException, IOException {
        KeyPair server = ecKeys();
        GeneralName name = host.matches("[0-9.]+|.*:.*") ? new GeneralName(GeneralName.iPAddress, host)
                : new GeneralName(GeneralName.dNSName, host);
        X509Certificate cert = build(new X500Name("CN=" + host), server.getPublic(),
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), keys.getPrivate(),
                Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(365)), Role.SERVER,
                new GeneralNames(name));
        List<Certificate> chain = new ArrayList<>(List.of(cert, certificate));
        chain.addAll(issuerChain);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", server.getPrivate(), password, chain.toArray(new Certificate[0]));
        return store;
    }

    /** PKCS#12 trust store holding the root CA, e.g. for a broker's trustStorePath. */
    public KeyStore trustStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", issuerChain.isEmpty() ? certificate : issuerChain.get(issuerChain.size() - 1));
        return store;
    }

    /** Writes a keystore to {@code file}. */
    public static Path write(KeyStore store, Path file, char[] password) throws GeneralSecurityException,
            IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
        return file;
    }

    /**
     * Creates a gateway identity in {@code directory} (as on first start), has this CA sign its CSR and installs
     * the result: the returned identity is a working {@link org.metergate.api.security.DeviceIdentity}.
     */
    public DeviceKeystore commission(Path directory, String gatewayId) throws GeneralSecurityException, IOException {
        DeviceKeystore identity = DeviceKeystore.open(directory, gatewayId, new BouncyCastleProvider(),
                Clock.systemUTC(), random);
        identity.install(chainPem(issueFromCsr(identity.certificationRequest())), rootPem());
        return identity;
    }

    /** Certificates as concatenated PEM blocks. */
    public static String pem(X509Certificate... certificates) throws GeneralSecurityException {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : certificates) {
            b.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return b.toString();
    }

    /** A fresh EC P-256 key pair. */
    public static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private X509Certificate build(X500Name subject, PublicKey subjectKey, X500Name issuer, PrivateKey issuerKey,
            Instant notBefore, Instant notAfter, Role role, GeneralNames alternativeNames)
            throws GeneralSecurityException {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(63, random), Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(role == Role.CA));
            if (role == Role.CA) {
                builder.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        role == Role.CLIENT ? KeyPurposeId.id_kp_clientAuth : KeyPurposeId.id_kp_serverAuth));
            }
            if (alternativeNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").setProvider(bc).build(issuerKey)));
        } catch (IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build test certificate", e);
        }
    }
}
