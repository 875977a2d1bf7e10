// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted slow hash of the console password: PBKDF2 with HMAC-SHA256 from the JDK, a 16-byte random salt, stored as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (Base64). The iteration count is part of the stored value, so it
 * can be raised later without invalidating existing passwords.
 */
final class PasswordHash {

    static final String SCHEME = "pbkdf2-sha256";
    static final int DEFAULT_ITERATIONS = 310_000;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final SecureRandom random;
    private final int iterations;

    PasswordHash(SecureRandom random, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        this.random = random;
        this.iterations = iterations;
    }

    String hash(char[] password) throws GeneralSecurityException {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Constant-time comparison against a stored value; a stored value in an unknown format never matches. */
    static boolean verify(char[] password, String stored) throws GeneralSecurityException {
        String[] parts = stored == null ? new String[0] : stored.strip().split("\\$");
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            throw new GeneralSecurityException("the stored console password is not a " + SCHEME + " hash");
        }
        int iterations;
        byte[] salt;
        byte[] expected;
        try {
            iterations = Integer.parseInt(parts[1]);
            salt = Base64.getDecoder().decode(parts[2]);
            expected = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the stored console password hash is damaged", e);
        }
        if (iterations < 1 || salt.length == 0 || expected.length == 0) {
            throw new GeneralSecurityException("the stored console password hash is damaged");
        }
        return MessageDigest.isEqual(expected, derive(password, salt, iterations));
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (InvalidKeySpecException e) {
            throw new GeneralSecurityException("cannot derive the password hash", e);
        } finally {
            spec.clearPassword();
        }
    }

    static void wipe(char[] secret) {
        if (secret != null) {
            Arrays.fill(secret, '\0');
        }
    }
}
