// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

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
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A small head-end PKI kept in one directory: a CA, the broker's server certificate (SAN 127.0.0.1 and
 * localhost) and client identities whose certificate CN is the gateway id (or {@value #HEADEND_CN}).
 * Every key store is PKCS12 with the directory's random password (in {@code store-password}, owner-only);
 * certificates and keys are also written as PEM for mosquitto and openssl. Keys are EC P-256.
 *
 * <p>For tests it can also make an expired certificate and one from a foreign CA, which a broker must refuse.
 */
public final class Pki {

    /** The certificate CN the broker treats as the head-end (may use all of {@code mg/v1/#}). */
    public static final String HEADEND_CN = "headend";
    /** The broker's identity; its key store is {@code broker.p12}. */
    public static final String BROKER_NAME = "broker";

    private static final String PASSWORD_FILE = "store-password";
    private static final String CA_STORE = "ca.p12";
    private static final String TRUSTSTORE = "truststore.p12";
    private static final String CA_PEM = "ca.pem";
    private static final Duration LEAF_VALIDITY = Duration.ofDays(825);
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A client or server identity written to disk: PKCS12 key store (key + chain) and the same as PEM. */
    public record Identity(String cn, X509Certificate certificate, Path keystore, Path certificatePem,
            Path privateKeyPem, char[] password) {
    }

    private final Path dir;
    private final char[] password;
    private final KeyPair caKeys;
    private final X509Certificate caCert;

    private Pki(Path dir, char[] password, KeyPair caKeys, X509Certificate caCert) {
        this.dir = dir;
        this.password = password;
        this.caKeys = caKeys;
        this.caCert = caCert;
    }

    /** Opens the PKI in {@code dir}, or creates a new CA, broker and head-end identity there if it has none. */
    public static Pki openOrCreate(Path dir) throws IOException, GeneralSecurityException {
        return Files.exists(dir.resolve(CA_STORE)) ? open(dir) : create(dir);
    }

    /** Creates a new CA with the broker and head-end identities in {@code dir} (created if missing). */
    public static Pki create(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        if (Files.exists(dir.resolve(CA_STORE))) {
            throw new IOException("a PKI already exists in " + dir + " (" + CA_STORE
                    + "); open it instead, or choose an empty directory");
        }
        char[] password = randomPassword();
        writePrivate(dir.resolve(PASSWORD_FILE), new String(password) + "\n");
        KeyPair caKeys = ecKeys();
        X500Name caName = new X500Name("CN=Metergate head-end CA " + Long.toHexString(RANDOM.nextLong()));
        Instant now = Instant.now();
        X509Certificate caCert = certificate(caName, caKeys.getPublic(), caName, caKeys, null,
                now.minus(Duration.ofHours(1)), now.plus(CA_VALIDITY), Kind.CA);
        Pki pki = new Pki(dir, password, caKeys, caCert);
        pki.store(CA_STORE, caKeys.getPrivate(), caCert);
        KeyStore trust = emptyStore();
        trust.setCertificateEntry("ca", caCert);
        try (OutputStream out = Files.newOutputStream(dir.resolve(TRUSTSTORE))) {
            trust.store(out, password);
        }
        Files.writeString(dir.resolve(CA_PEM), pem(caCert));
        pki.issue(BROKER_NAME, Kind.SERVER, now.minus(Duration.ofHours(1)), now.plus(LEAF_VALIDITY));
        pki.issue(HEADEND_CN);
        return pki;
    }

    /** Opens an existing PKI directory written by {@link #create}. */
    public static Pki open(Path dir) throws IOException, GeneralSecurityException {
        Path pw = dir.resolve(PASSWORD_FILE);
        if (!Files.exists(pw) || !Files.exists(dir.resolve(CA_STORE))) {
            throw new IOException("no PKI in " + dir + ": expected " + CA_STORE + " and " + PASSWORD_FILE
                    + "; run the head-end simulator once with --pki-dir " + dir + " to create one");
        }
        char[] password = Files.readString(pw).trim().toCharArray();
        KeyStore ca = load(dir.resolve(CA_STORE), password);
        String alias = ca.aliases().nextElement();
        X509Certificate caCert = (X509Certificate) ca.getCertificate(alias);
        PrivateKey caKey = (PrivateKey) ca.getKey(alias, password);
        return new Pki(dir, password, new KeyPair(caCert.getPublicKey(), caKey), caCert);
    }

    public Path dir() {
        return dir;
    }

    /** The password of every key store in this directory (a copy). */
    public char[] password() {
        return password.clone();
    }

    public X509Certificate caCertificate() {
        return caCert;
    }

    public Path caPem() {
        return dir.resolve(CA_PEM);
    }

    /** PKCS12 trust store holding only the CA certificate. */
    public Path truststore() {
        return dir.resolve(TRUSTSTORE);
    }

    /** The broker's server identity (created with the PKI). */
    public Identity broker() throws IOException, GeneralSecurityException {
        return identity(BROKER_NAME);
    }

    /** The identity for {@code cn}, issuing it (valid 825 days) if this directory has none yet. */
    public Identity identityFor(String cn) throws IOException, GeneralSecurityException {
        return Files.exists(dir.resolve(storeName(cn))) ? identity(cn) : issue(cn);
    }

    /** Issues a new client certificate for {@code cn}, replacing any earlier one in this directory. */
    public Identity issue(String cn) throws IOException, GeneralSecurityException {
        Instant now = Instant.now();
        return issue(cn, Kind.CLIENT, now.minus(Duration.ofHours(1)), now.plus(LEAF_VALIDITY));
    }

    /** A client certificate for {@code cn} from this CA that expired yesterday (file {@code cn-expired.p12}). */
    public Identity issueExpired(String cn) throws IOException, GeneralSecurityException {
        Instant now = Instant.now();
        return write(cn + "-expired", cn, ecKeys(), caCert, caKeys, now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1)), Kind.CLIENT);
    }

    /** A client certificate for {@code cn} signed by a throw-away CA nobody trusts (file {@code cn-foreign.p12}). */
    public Identity issueFromForeignCa(String cn) throws IOException, GeneralSecurityException {
        KeyPair rogueKeys = ecKeys();
        X500Name rogueName = new X500Name("CN=Foreign CA");
        Instant now = Instant.now();
        X509Certificate rogue = certificate(rogueName, rogueKeys.getPublic(), rogueName, rogueKeys, null,
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)), Kind.CA);
        return write(cn + "-foreign", cn, ecKeys(), rogue, rogueKeys, now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(2)), Kind.CLIENT);
    }

    /**
     * Signs a PKCS#10 certificate request (PEM) as a client certificate; the CN of the request is kept.
     * This is how a gateway that made its own key gets its certificate. Returns the certificate as PEM.
     */
    public String signCsr(String csrPem) throws IOException, GeneralSecurityException {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            parsed = parser.readObject();
        } catch (IOException e) {
            throw new IOException("cannot read the certificate request (expected PEM -----BEGIN CERTIFICATE "
                    + "REQUEST-----): " + e.getMessage(), e);
        }
        if (parsed instanceof org.bouncycastle.openssl.PEMKeyPair || parsed instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo
                || parsed instanceof org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo) {
            throw new IOException("this file holds a private key, not a certificate request: keep the key on the "
                    + "gateway (treat this one as compromised) and send only the CSR from mg:csr");
        }
        if (!(parsed instanceof PKCS10CertificationRequest csr)) {
            throw new IOException("not a PEM certificate request (expected -----BEGIN CERTIFICATE REQUEST-----)");
        }
        JcaPKCS10CertificationRequest request = new JcaPKCS10CertificationRequest(csr);
        try {
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(request.getPublicKey()))) {
                throw new GeneralSecurityException("the certificate request's signature does not verify");
            }
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.pkcs.PKCSException e) {
            throw new GeneralSecurityException("cannot check the certificate request's signature: " + e.getMessage(), e);
        }
        Instant now = Instant.now();
        X509Certificate cert = certificate(csr.getSubject(), request.getPublicKey(),
                new X500Name(caCert.getSubjectX500Principal().getName()), caKeys, caCert,
                now.minus(Duration.ofHours(1)), now.plus(LEAF_VALIDITY), Kind.CLIENT);
        return pem(cert);
    }

    /** A TLS context presenting the identity for {@code cn} (issued if missing) and trusting this CA. */
    public SSLContext clientContext(String cn) throws IOException, GeneralSecurityException {
        return sslContext(identityFor(cn));
    }

    /** A TLS context presenting {@code id} and trusting this CA. */
    public SSLContext sslContext(Identity id) throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(id.keystore(), id.password()), id.password());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), trustManagers().getTrustManagers(), null);
        return ctx;
    }

    /** A TLS context that trusts this CA but presents no client certificate. */
    public SSLContext sslContextWithoutCertificate() throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, trustManagers().getTrustManagers(), null);
        return ctx;
    }

    private TrustManagerFactory trustManagers() throws GeneralSecurityException {
        KeyStore trust = emptyStore();
        trust.setCertificateEntry("ca", caCert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }

    private Identity identity(String cn) throws IOException, GeneralSecurityException {
        Path keystore = dir.resolve(storeName(cn));
        KeyStore ks = load(keystore, password);
        X509Certificate cert = (X509Certificate) ks.getCertificate(ks.aliases().nextElement());
        return new Identity(cn, cert, keystore, dir.resolve(cn + ".crt.pem"), dir.resolve(cn + ".key.pem"),
                password.clone());
    }

    private Identity issue(String cn, Kind kind, Instant from, Instant to) throws IOException, GeneralSecurityException {
        return write(cn, kind == Kind.SERVER ? "127.0.0.1" : cn, ecKeys(), caCert, caKeys, from, to, kind);
    }

    private Identity write(String fileName, String cn, KeyPair keys, X509Certificate issuer, KeyPair issuerKeys,
            Instant from, Instant to, Kind kind) throws IOException, GeneralSecurityException {
        if (!cn.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("certificate name '" + cn
                    + "' is not allowed: use 1 to 64 letters, digits, '_' or '-' (a gateway id)");
        }
        X509Certificate cert = certificate(new X500Name("CN=" + cn), keys.getPublic(),
                new X500Name(issuer.getSubjectX500Principal().getName()), issuerKeys, issuer, from, to, kind);
        Path keystore = store(storeName(fileName), keys.getPrivate(), cert, issuer);
        Path certPem = dir.resolve(fileName + ".crt.pem");
        Files.writeString(certPem, pem(cert) + pem(issuer));
        Path keyPem = dir.resolve(fileName + ".key.pem");
        writePrivate(keyPem, pem(keys.getPrivate()));
        return new Identity(cn, cert, keystore, certPem, keyPem, password.clone());
    }

    private static String storeName(String name) {
        return name + ".p12";
    }

    private Path store(String name, PrivateKey key, Certificate... chain) throws IOException, GeneralSecurityException {
        KeyStore ks = emptyStore();
        ks.setKeyEntry("key", key, password, chain);
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p)) {
            ks.store(out, password);
        }
        restrict(p);
        return p;
    }

    private enum Kind { CA, SERVER, CLIENT }

    private static X509Certificate certificate(X500Name subject, PublicKey subjectKey, X500Name issuer,
            KeyPair issuerKeys, X509Certificate issuerCert, Instant from, Instant to, Kind kind)
            throws GeneralSecurityException {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM),
                    Date.from(from), Date.from(to), subject, subjectKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(kind == Kind.CA));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
            b.addExtension(Extension.authorityKeyIdentifier, false, issuerCert == null
                    ? ext.createAuthorityKeyIdentifier(subjectKey) : ext.createAuthorityKeyIdentifier(issuerCert));
            switch (kind) {
                case CA -> b.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
                case SERVER -> {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")}));
                }
                case CLIENT -> {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
                }
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build certificate for " + subject + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            return ks;
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyStore load(Path p, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, password);
        }
        return ks;
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256, RANDOM);
        return g.generateKeyPair();
    }

    private static char[] randomPassword() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).toCharArray();
    }

    static String pem(Object o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(o instanceof PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null)
                    : o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void writePrivate(Path p, String text) throws IOException {
        Files.write(p, text.getBytes(StandardCharsets.UTF_8));
        restrict(p);
    }

    private static void restrict(Path p) throws IOException {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: rely on the directory's protection
        }
    }
}
