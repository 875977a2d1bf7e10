// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The head-end's token-verification public keys, {@code kid=<base64 SubjectPublicKeyInfo>} in
 * {@value #KEYS_FILE} of the security directory. Public keys are not secret; the file is still 0600 so that only
 * the gateway's account can change which tokens are trusted. Only P-256 EC keys are accepted (tokens are ES256).
 */
public final class HeadendKeyStore {

    public static final String KEYS_FILE = "headend-keys.properties";

    private static final Pattern KID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    /** Order n of the P-256 group (FIPS 186-4, D.1.2.3); identifies the curve together with the field size. */
    private static final String P256_ORDER =
            "115792089210356248762697446949407573529996955224135760342422259061068512044369";

    private final Path directory;
    private Map<String, ECPublicKey> keys;
    private long version;

    private HeadendKeyStore(Path directory, Map<String, ECPublicKey> keys) {
        this.directory = directory;
        this.keys = keys;
    }

    /** Opens the store in {@code directory} (created 0700 if needed) and reads the stored keys. */
    public static HeadendKeyStore open(Path directory) throws IOException {
        OwnerOnlyFiles.ensureDirectory(directory);
        Path file = directory.resolve(KEYS_FILE);
        Map<String, ECPublicKey> keys = new TreeMap<>();
        if (Files.exists(file)) {
            Properties stored = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                stored.load(in);
            }
            for (String kid : stored.stringPropertyNames()) {
                try {
                    checkKid(kid);
                    keys.put(kid, fromDer(kid, Base64.getDecoder().decode(stored.getProperty(kid).strip())));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + " is damaged at kid '" + kid + "': " + e.getMessage()
                            + ". Remove that line and add the key again with mg:headend-key add", e);
                }
            }
        }
        return new HeadendKeyStore(directory, keys);
    }

    /** The current keys, unmodifiable, in kid order. */
    public synchronized Map<String, ECPublicKey> keys() {
        return Collections.unmodifiableMap(new TreeMap<>(keys));
    }

    public synchronized long version() {
        return version;
    }

    /**
     * Adds or replaces {@code kid} from the PEM text of a public key.
     *
     * @param what names the input in errors, e.g. "the file headend.pem"
     * @return true when the kid was new, false when it replaced a key
     * @throws IllegalArgumentException when the kid or the key is not acceptable; nothing is stored then
     */
    public synchronized boolean add(String kid, String pem, String what) throws IOException {
        checkKid(kid);
        ECPublicKey key = parsePem(kid, pem, what);
        Map<String, ECPublicKey> next = new TreeMap<>(keys);
        boolean fresh = next.put(kid, key) == null;
        save(next);
        return fresh;
    }

    /** Removes {@code kid}; false when there was no such key. */
    public synchronized boolean remove(String kid) throws IOException {
        if (!keys.containsKey(kid)) {
            return false;
        }
        Map<String, ECPublicKey> next = new TreeMap<>(keys);
        next.remove(kid);
        save(next);
        return true;
    }

    private void save(Map<String, ECPublicKey> next) throws IOException {
        Properties all = new Properties();
        next.forEach((kid, key) -> all.setProperty(kid, Base64.getEncoder().encodeToString(key.getEncoded())));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        all.store(bytes, "head-end token keys (P-256 SubjectPublicKeyInfo); change with mg:headend-key");
        OwnerOnlyFiles.write(directory.resolve(KEYS_FILE), bytes.toByteArray());
        keys = next;
        version++;
    }

    static void checkKid(String kid) {
        if (kid == null || !KID.matcher(kid).matches()) {
            throw new IllegalArgumentException("kid '" + kid + "' is not allowed: use letters, digits and . _ : -"
                    + " (1 to 64 characters), exactly as the head-end writes it in the token header");
        }
    }

    static ECPublicKey parsePem(String kid, String pem, String what) {
        PemObject block;
        try (PemReader reader = new PemReader(new StringReader(pem == null ? "" : pem))) {
            block = reader.readPemObject();
        } catch (IOException | RuntimeException e) {
            // BouncyCastle reports bad base64 inside a block as an unchecked DecoderException
            throw new IllegalArgumentException(what + " is not readable PEM (" + e.getMessage()
                    + "); expected -----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----", e);
        }
        if (block == null) {
            throw new IllegalArgumentException(what + " contains no PEM block; expected -----BEGIN PUBLIC KEY-----"
                    + " ... -----END PUBLIC KEY----- (openssl ec -in key.pem -pubout)");
        }
        if (block.getType().contains("PRIVATE KEY")) {
            throw new IllegalArgumentException(what + " holds a private key (" + block.getType() + "); the gateway"
                    + " needs only the head-end's public key: openssl ec -in key.pem -pubout");
        }
        if (!"PUBLIC KEY".equals(block.getType())) {
            throw new IllegalArgumentException(what + " has a '" + block.getType() + "' block where a PUBLIC KEY"
                    + " block is expected");
        }
        return fromDer(kid, block.getContent());
    }

    private static ECPublicKey fromDer(String kid, byte[] der) {
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("key for kid '" + kid + "' is not an EC public key ("
                    + e.getMessage() + "); tokens are ES256, which needs a P-256 key", e);
        }
        ECPublicKey ec = (ECPublicKey) key;
        if (ec.getParams().getCurve().getField().getFieldSize() != 256
                || !P256_ORDER.equals(ec.getParams().getOrder().toString())) {
            throw new IllegalArgumentException("key for kid '" + kid + "' is on a "
                    + ec.getParams().getCurve().getField().getFieldSize() + "-bit curve other than P-256;"
                    + " tokens are ES256, which needs a P-256 (secp256r1, prime256v1) key");
        }
        if (ECPoint.POINT_INFINITY.equals(ec.getW())) {
            throw new IllegalArgumentException("key for kid '" + kid + "' is the point at infinity");
        }
        return ec;
    }
}
