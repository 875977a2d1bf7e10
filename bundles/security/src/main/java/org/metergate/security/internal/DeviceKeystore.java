// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PKCS12Attribute;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.metergate.api.security.DeviceIdentity;
import org.metergate.api.security.DeviceServerTls;

/**
 * The gateway's keystore {@code device.p12} and its password file {@code device.pass} in one owner-only
 * directory. Entries: {@code device} (key in use + its chain), optionally {@code pending} (rotation key waiting for
 * its certificate) and {@code ca-0..n} (head-end CAs, present only once a signed certificate is installed).
 * Every change writes a complete new keystore and renames it into place; the one before is kept as
 * {@code device.p12.previous}.
 */
public final class DeviceKeystore implements DeviceIdentity, DeviceServerTls, IdentityCommissioning {

    public static final String KEYSTORE = "device.p12";
    public static final String PASSWORD = "device.pass";
    public static final String PREVIOUS = "device.p12.previous";

    static final String DEVICE = "device";
    static final String PENDING = "pending";
    static final String CA_PREFIX = "ca-";
    // PKCS#9 signingTime: PKCS#12 keeps no creation date of its own, so the key's birth is stored as a bag attribute
    private static final String CREATED_ATTRIBUTE = "1.2.840.113549.1.9.5";
    static final String NOT_COMMISSIONED = "no signed device certificate installed yet — generate a CSR (mg:csr) "
            + "and install the certificate the head-end CA returns";

    private final Path directory;
    private final String gatewayId;
    private final Clock clock;
    private final SecureRandom random;
    private final KeyMaterial keys;
    private final char[] password;
    private KeyStore store;
    // reading a PKCS#12 attribute decrypts the key (slow on a Pi), so creation times are read once per change
    private Map<String, Instant> createdAt = Map.of();
    // what a TLS server presents; replaced (never changed) with each keystore change, read without locking
    private volatile ServerKeys serverKeys;

    private DeviceKeystore(Path directory, String gatewayId, Provider bc, Clock clock, SecureRandom random,
            char[] password) {
        this.directory = directory;
        this.gatewayId = gatewayId;
        this.clock = clock;
        this.random = random;
        this.keys = new KeyMaterial(bc, random);
        this.password = password;
    }

    /**
     * Opens the identity in {@code directory}, creating directory, password and key pair on first start.
     *
     * @throws GeneralSecurityException when the files exist but do not belong together or to this gateway id
     */
    public static DeviceKeystore open(Path directory, String gatewayId, Provider bc, Clock clock,
            SecureRandom random) throws IOException, GeneralSecurityException {
        GatewayIds.validate(gatewayId);
        OwnerOnlyFiles.ensureDirectory(directory);
        Path keystoreFile = directory.resolve(KEYSTORE);
        Path passwordFile = directory.resolve(PASSWORD);
        boolean keystoreExists = Files.exists(keystoreFile);
        if (keystoreExists && !Files.exists(passwordFile)) {
            throw new GeneralSecurityException(keystoreFile + " exists but its password file " + passwordFile
                    + " is missing: restore " + PASSWORD + " from the backup taken with it, or move " + KEYSTORE
                    + " away to create a new identity (the head-end must then sign a new certificate)");
        }
        if (!Files.exists(passwordFile)) {
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            OwnerOnlyFiles.write(passwordFile, Base64.getEncoder().encode(secret));
        }
        char[] password = Files.readString(passwordFile, StandardCharsets.US_ASCII).strip().toCharArray();
        DeviceKeystore identity = new DeviceKeystore(directory, gatewayId, bc, clock, random, password);
        if (keystoreExists) {
            identity.load(keystoreFile);
        } else {
            identity.createFirstKey();
        }
        return identity;
    }

    @Override
    public String gatewayId() {
        return gatewayId;
    }

    public Path directory() {
        return directory;
    }

    /** Whether a CA-signed certificate is installed (otherwise only the placeholder exists). */
    public synchronized boolean commissioned() {
        return !authorities(store).isEmpty();
    }

    /** TLS 1.3/1.2 client context presenting the device certificate and trusting only the installed CA(s). */
    @Override
    public synchronized SSLContext clientTlsContext() throws GeneralSecurityException {
        List<X509Certificate> authorities = authorities(store);
        if (authorities.isEmpty()) {
            throw new GeneralSecurityException(NOT_COMMISSIONED);
        }
        KeyStore keyOnly = emptyStore();
        keyOnly.setEntry(DEVICE, store.getEntry(DEVICE, protection()), protection());
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyOnly, password);

        KeyStore trusted = emptyStore();
        for (int i = 0; i < authorities.size(); i++) {
            trusted.setCertificateEntry(CA_PREFIX + i, authorities.get(i));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
        trustManagers.init(trusted);

        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), random);
        return new ModernTlsContext(context);
    }

    /**
     * TLS 1.3/1.2 server context presenting the device key with the chain in the keystore: the CA-signed one once
     * installed, before that the self-signed certificate made with the key. Each handshake reads the current key and
     * chain, so an installation or rotation is presented from the next connection on.
     */
    @Override
    public SSLContext serverTlsContext() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(new KeyManager[] {new FollowingKeyManager(() -> serverKeys)}, null, random);
        return new ModernTlsContext(context);
    }

    @Override
    public X509Certificate serverCertificate() {
        return serverKeys.certificate();
    }

    @Override
    public synchronized IdentityStatus status() {
        try {
            X509Certificate device = (X509Certificate) store.getCertificate(DEVICE);
            boolean signed = commissioned();
            List<String> authorities = new ArrayList<>();
            for (X509Certificate ca : authorities(store)) {
                authorities.add(ca.getSubjectX500Principal().getName() + " (until " + ca.getNotAfter().toInstant()
                        + ")");
            }
            return new IdentityStatus(gatewayId, directory.toAbsolutePath().toString(), createdAt(DEVICE), signed,
                    signed ? device.getSubjectX500Principal().getName() : null,
                    signed ? device.getIssuerX500Principal().getName() : null,
                    signed ? device.getNotBefore().toInstant() : null,
                    signed ? device.getNotAfter().toInstant() : null, List.copyOf(authorities),
                    store.containsAlias(PENDING) ? createdAt(PENDING) : null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the loaded keystore cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<X509Certificate> headendAuthorities() {
        return List.copyOf(authorities(store));
    }

    @Override
    public synchronized boolean rotationPending() {
        try {
            return store.containsAlias(PENDING);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the loaded keystore cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized String certificationRequest() throws GeneralSecurityException {
        return keys.certificationRequest(keyPair(store.containsAlias(PENDING) ? PENDING : DEVICE), gatewayId);
    }

    @Override
    public synchronized String startRotation() throws GeneralSecurityException, IOException {
        if (!store.containsAlias(PENDING)) {
            KeyStore next = copy(store, a -> false);
            setKey(next, PENDING, keys.newKeyPair());
            save(next);
        }
        return certificationRequest();
    }

    @Override
    public synchronized void cancelRotation() throws GeneralSecurityException, IOException {
        if (store.containsAlias(PENDING)) {
            save(copy(store, PENDING::equals));
        }
    }

    @Override
    public synchronized String install(String chainPem, String authorityPem)
            throws GeneralSecurityException, IOException {
        List<X509Certificate> chain = Pem.certificates(chainPem, "the certificate chain");
        List<X509Certificate> authorities = Pem.certificates(authorityPem, "the head-end CA file");
        X509Certificate leaf = chain.get(0);
        Instant now = clock.instant();

        String alias = keyFor(leaf);
        CertificateCheck.validity(leaf, "the device certificate", now);
        for (X509Certificate ca : authorities) {
            CertificateCheck.validity(ca, "the head-end CA certificate", now);
        }
        CertificateCheck.chainsTo(chain, authorities, now);
        CertificateCheck.commonName(leaf, gatewayId);
        CertificateCheck.clientUsage(leaf);

        // installing for the pending key consumes it; installing for the key in use keeps a rotation in progress
        Set<String> replaced = PENDING.equals(alias) ? Set.of(DEVICE, PENDING) : Set.of(DEVICE);
        KeyStore next = copy(store, a -> replaced.contains(a) || a.startsWith(CA_PREFIX));
        List<X509Certificate> path = CertificateCheck.withoutAnchors(chain, authorities);
        next.setEntry(DEVICE, new KeyStore.PrivateKeyEntry((PrivateKey) store.getKey(alias, password),
                path.toArray(new Certificate[0]), Set.of(createdAttribute(createdAt(alias)))), protection());
        for (int i = 0; i < authorities.size(); i++) {
            next.setCertificateEntry(CA_PREFIX + i, authorities.get(i));
        }
        save(next);
        return "installed certificate '" + leaf.getSubjectX500Principal().getName() + "' issued by '"
                + leaf.getIssuerX500Principal().getName() + "', valid until " + leaf.getNotAfter().toInstant()
                + (PENDING.equals(alias) ? "; switched to the new key (previous keystore kept as " + PREVIOUS + ")"
                        : "");
    }

    private String keyFor(X509Certificate leaf) throws GeneralSecurityException {
        for (String alias : List.of(DEVICE, PENDING)) {
            if (store.containsAlias(alias) && KeyMaterial.sameKey(leaf.getPublicKey(),
                    store.getCertificate(alias).getPublicKey())) {
                return alias;
            }
        }
        throw new CertificateRejectedException("the device certificate's public key does not match this gateway's "
                + "device key" + (store.containsAlias(PENDING) ? " nor its pending rotation key" : "")
                + "; it was issued for another request (another gateway, or a key replaced since) — send the "
                + "request printed by mg:csr on this gateway and install the certificate issued for it");
    }

    private void createFirstKey() throws GeneralSecurityException, IOException {
        KeyStore first = emptyStore();
        setKey(first, DEVICE, keys.newKeyPair());
        save(first);
    }

    private void load(Path file) throws GeneralSecurityException, IOException {
        KeyStore loaded = KeyStore.getInstance("PKCS12");
        try {
            loaded.load(new ByteArrayInputStream(Files.readAllBytes(file)), password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new GeneralSecurityException(file + " cannot be opened with the password in " + PASSWORD
                        + ": the two files do not belong together. Restore both from the same backup, or restore "
                        + PREVIOUS + " if it opens", e);
            }
            throw new GeneralSecurityException(file + " is damaged (" + e.getMessage() + "); restore " + PREVIOUS
                    + " as " + KEYSTORE + ", or move the directory away to create a new identity", e);
        }
        if (!loaded.isKeyEntry(DEVICE)) {
            throw new GeneralSecurityException(file + " has no '" + DEVICE + "' key entry; it is not a Metergate "
                    + "device keystore. Move it away to create a new identity");
        }
        String owner = CertificateCheck.commonNameOf((X509Certificate) loaded.getCertificate(DEVICE));
        if (!gatewayId.equals(owner)) {
            throw new GeneralSecurityException(file + " belongs to gateway '" + owner + "' but gatewayId is now '"
                    + gatewayId + "': set gatewayId back to '" + owner + "', or move " + directory
                    + " away to commission this gateway afresh as '" + gatewayId + "'");
        }
        use(loaded);
    }

    private void setKey(KeyStore target, String alias, KeyPair pair) throws GeneralSecurityException {
        Instant now = clock.instant();
        X509Certificate placeholder = keys.placeholder(pair, gatewayId, now);
        target.setEntry(alias, new KeyStore.PrivateKeyEntry(pair.getPrivate(), new Certificate[] {placeholder},
                Set.of(createdAttribute(now))), protection());
    }

    private KeyPair keyPair(String alias) throws GeneralSecurityException {
        return new KeyPair(store.getCertificate(alias).getPublicKey(), (PrivateKey) store.getKey(alias, password));
    }

    private Instant createdAt(String alias) {
        Instant created = createdAt.get(alias);
        if (created == null) {
            throw new IllegalStateException("no key '" + alias + "' in the loaded keystore");
        }
        return created;
    }

    private void use(KeyStore keystore) throws GeneralSecurityException {
        Map<String, Instant> times = new HashMap<>();
        for (String alias : List.of(DEVICE, PENDING)) {
            if (keystore.isKeyEntry(alias)) {
                times.put(alias, readCreatedAt(keystore, alias));
            }
        }
        Certificate[] chain = keystore.getCertificateChain(DEVICE);
        X509Certificate[] x509 = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            x509[i] = (X509Certificate) chain[i];
        }
        ServerKeys before = serverKeys;
        ServerKeys presented = new ServerKeys(before == null ? 0 : before.generation() + 1,
                (PrivateKey) keystore.getKey(DEVICE, password), x509);
        store = keystore;
        createdAt = Map.copyOf(times);
        serverKeys = presented;
    }

    private Instant readCreatedAt(KeyStore keystore, String alias) throws GeneralSecurityException {
        KeyStore.Entry entry = keystore.getEntry(alias, protection());
        for (KeyStore.Entry.Attribute a : entry.getAttributes()) {
            if (CREATED_ATTRIBUTE.equals(a.getName())) {
                try {
                    return Instant.parse(a.getValue());
                } catch (DateTimeParseException unreadable) {
                    break;
                }
            }
        }
        // keystores written by other tools: the placeholder's start is when the key was made
        Certificate[] chain = keystore.getCertificateChain(alias);
        return ((X509Certificate) chain[chain.length - 1]).getNotBefore().toInstant();
    }

    private static PKCS12Attribute createdAttribute(Instant createdAt) {
        return new PKCS12Attribute(CREATED_ATTRIBUTE, createdAt.toString());
    }

    private KeyStore copy(KeyStore source, Predicate<String> except) throws GeneralSecurityException {
        KeyStore target = emptyStore();
        for (String alias : Collections.list(source.aliases())) {
            if (except.test(alias)) {
                continue;
            }
            if (source.isKeyEntry(alias)) {
                target.setEntry(alias, source.getEntry(alias, protection()), protection());
            } else {
                target.setCertificateEntry(alias, source.getCertificate(alias));
            }
        }
        return target;
    }

    private void save(KeyStore next) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        next.store(bytes, password);
        Path file = directory.resolve(KEYSTORE);
        if (Files.exists(file)) {
            OwnerOnlyFiles.write(directory.resolve(PREVIOUS), Files.readAllBytes(file));
        }
        OwnerOnlyFiles.write(file, bytes.toByteArray());
        use(next);
    }

    private static List<X509Certificate> authorities(KeyStore keystore) {
        List<X509Certificate> authorities = new ArrayList<>();
        try {
            for (String alias : Collections.list(keystore.aliases())) {
                if (alias.startsWith(CA_PREFIX) && keystore.isCertificateEntry(alias)) {
                    authorities.add((X509Certificate) keystore.getCertificate(alias));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the loaded keystore cannot be read", e);
        }
        return authorities;
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        try {
            keystore.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty PKCS12 keystore", e);
        }
        return keystore;
    }

    private KeyStore.PasswordProtection protection() {
        return new KeyStore.PasswordProtection(password);
    }
}
