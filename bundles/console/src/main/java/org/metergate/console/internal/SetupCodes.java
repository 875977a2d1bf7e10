// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * One-time setup codes: 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L), 60 random bits, shown
 * as {@code ABCD-EFGH-JKMN}. A technician may type them in lower case, with or without dashes and spaces.
 */
final class SetupCodes {

    static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    static final int LENGTH = 12;

    private final SecureRandom random;

    SetupCodes(SecureRandom random) {
        this.random = random;
    }

    String generate() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0 && i % 4 == 0) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** Upper case, without dashes and white space. */
    static String normalize(String code) {
        return code == null ? "" : code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }

    static boolean wellFormed(String code) {
        String normal = normalize(code);
        return normal.length() == LENGTH && normal.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
    }

    /** Constant-time comparison of what was typed with the stored code. */
    static boolean matches(String typed, String stored) {
        return MessageDigest.isEqual(normalize(typed).getBytes(StandardCharsets.US_ASCII),
                normalize(stored).getBytes(StandardCharsets.US_ASCII));
    }
}
