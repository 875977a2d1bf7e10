// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-meter DLMS keys (global unicast encryption key, authentication key, ...) encrypted at rest with AES-256-GCM
 * under a key-encryption key {@code dlms.kek} kept 0600 next to the device keystore. Each value is bound to its
 * meter and key name (GCM associated data), so copying a ciphertext to another meter's slot does not decrypt.
 */
public final class DlmsKeyStore {

    public static final String KEK_FILE = "dlms.kek";
    public static final String KEYS_FILE = "dlms-keys.properties";

    private static final Pattern METER = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final String FORMAT = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Path directory;
    private final SecureRandom random;
    private final SecretKey kek;

    private DlmsKeyStore(Path directory, SecureRandom random, SecretKey kek) {
        this.directory = directory;
        this.random = random;
        this.kek = kek;
    }

    /** Opens the store in {@code directory}, creating the directory (0700) and key-encryption key (0600) if needed. */
    public static DlmsKeyStore open(Path directory, SecureRandom random) throws IOException {
        OwnerOnlyFiles.ensureDirectory(directory);
        Path kekFile = directory.resolve(KEK_FILE);
        if (!Files.exists(kekFile)) {
            if (Files.exists(directory.resolve(KEYS_FILE))) {
                throw new IOException(kekFile + " is missing but " + KEYS_FILE + " exists: without it the stored "
                        + "DLMS keys cannot be decrypted. Restore " + KEK_FILE + " from backup, or move " + KEYS_FILE
                        + " away and enter the meters' keys again");
            }
            byte[] fresh = new byte[32];
            random.nextBytes(fresh);
            OwnerOnlyFiles.write(kekFile, Base64.getEncoder().encode(fresh));
        }
        byte[] raw = Base64.getDecoder().decode(Files.readString(kekFile, StandardCharsets.US_ASCII).strip());
        if (raw.length != 32) {
            throw new IOException(kekFile + " does not hold a 256-bit key; restore it from backup");
        }
        return new DlmsKeyStore(directory, random, new SecretKeySpec(raw, "AES"));
    }

    /** Stores (or replaces) {@code key} for {@code meterId}; 16 bytes (AES-128 suites 0/1) or 32 (suite 2). */
    public synchronized void put(String meterId, String keyName, byte[] key) throws IOException,
            GeneralSecurityException {
        checkNames(meterId, keyName);
        if (key == null || (key.length != 16 && key.length != 32)) {
            throw new IllegalArgumentException("DLMS key '" + keyName + "' for meter " + meterId + " must be 16 bytes "
                    + "(security suite 0/1) or 32 bytes (suite 2), got " + (key == null ? "none" : key.length));
        }
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(associatedData(meterId, keyName));
        byte[] sealed = cipher.doFinal(key);
        byte[] stored = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();

        Properties all = read();
        all.setProperty(slot(meterId, keyName), FORMAT + Base64.getEncoder().encodeToString(stored));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        all.store(bytes, "DLMS keys, AES-256-GCM under " + KEK_FILE + "; do not edit");
        OwnerOnlyFiles.write(directory.resolve(KEYS_FILE), bytes.toByteArray());
    }

    /** The key, or empty when none was stored for that meter and name. */
    public synchronized Optional<byte[]> get(String meterId, String keyName) throws IOException,
            GeneralSecurityException {
        checkNames(meterId, keyName);
        String value = read().getProperty(slot(meterId, keyName));
        if (value == null) {
            return Optional.empty();
        }
        try {
            if (!value.startsWith(FORMAT)) {
                throw new IllegalArgumentException("unknown format");
            }
            byte[] stored = Base64.getDecoder().decode(value.substring(FORMAT.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, stored, 0, IV_BYTES));
            cipher.updateAAD(associatedData(meterId, keyName));
            return Optional.of(cipher.doFinal(Arrays.copyOfRange(stored, IV_BYTES, stored.length)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new GeneralSecurityException("stored DLMS key '" + keyName + "' for meter " + meterId + " in "
                    + directory.resolve(KEYS_FILE) + " cannot be decrypted: the file was altered or " + KEK_FILE
                    + " was replaced. Enter the key again for this meter", e);
        }
    }

    private Properties read() throws IOException {
        Properties all = new Properties();
        Path file = directory.resolve(KEYS_FILE);
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                all.load(in);
            }
        }
        return all;
    }

    private static void checkNames(String meterId, String keyName) {
        if (meterId == null || !METER.matcher(meterId).matches()) {
            throw new IllegalArgumentException("meter id '" + meterId + "' cannot name a DLMS key: use letters, "
                    + "digits and . _ : - (1 to 64 characters)");
        }
        if (keyName == null || !KEY_NAME.matcher(keyName).matches()) {
            throw new IllegalArgumentException("DLMS key name '" + keyName + "' for meter " + meterId + " is not "
                    + "allowed: use letters, digits, '-' and '_' (1 to 32), e.g. guek, gak");
        }
    }

    private static String slot(String meterId, String keyName) {
        return meterId + "/" + keyName;
    }

    private static byte[] associatedData(String meterId, String keyName) {
        return ("metergate-dlms-key/v1/" + slot(meterId, keyName)).getBytes(StandardCharsets.UTF_8);
    }
}
