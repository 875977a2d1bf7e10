// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Message ids of the SQLite outbox (schema 4): a UUID (RFC 9562 version 8) whose first 60 bits are random
 * per database file and whose last 62 bits are the message's sequence. Unique as long as sequences are
 * (AUTOINCREMENT never reuses one) and a new file gets a new random part, yet nothing has to be stored or
 * indexed per message: the id is computed from the sequence, and an acknowledged id leads straight back to
 * its row. The table exposes the same text as the virtual column {@code msg_id} ({@link #sqlExpression}).
 */
final class MessageIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final long SEQUENCE_MASK = (1L << 62) - 1;

    private final String prefix;

    /** @param prefix the first 19 characters, {@code xxxxxxxx-xxxx-8xxx-}, as made by {@link #newPrefix} */
    MessageIds(String prefix) {
        if (!prefix.matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-")) {
            throw new IllegalArgumentException("message id prefix '" + prefix + "' is not of the form"
                    + " xxxxxxxx-xxxx-8xxx- (lower-case hex)");
        }
        this.prefix = prefix;
    }

    /** A new random per-database part: 60 random bits around the version digit 8. */
    static String newPrefix(Random random) {
        long bits = random.nextLong();
        StringBuilder b = new StringBuilder(19);
        hex(b, bits >>> 32, 8).append('-');
        hex(b, bits >>> 16, 4).append("-8");
        hex(b, bits, 3).append('-');
        return b.toString();
    }

    static String newPrefix() {
        return newPrefix(new SecureRandom());
    }

    String prefix() {
        return prefix;
    }

    /** The id of the message with this sequence. */
    String format(long sequence) {
        if (sequence < 0 || sequence > SEQUENCE_MASK) {
            throw new IllegalArgumentException("sequence " + sequence + " out of range");
        }
        StringBuilder b = new StringBuilder(36).append(prefix);
        hex(b, 0x8000 | (sequence >>> 48), 4).append('-');
        return hex(b, sequence, 12).toString();
    }

    /** The sequence an id of this database stands for, or -1 when it is not one (another file's, or legacy). */
    long sequence(String id) {
        if (id.length() != 36 || !id.startsWith(prefix) || id.charAt(23) != '-') {
            return -1;
        }
        long high = parseHex(id, 19, 23);
        long low = parseHex(id, 24, 36);
        if (high < 0 || low < 0 || (high & 0xC000) != 0x8000) {
            return -1;
        }
        long sequence = ((high & 0x3FFF) << 48) | low;
        return format(sequence).equals(id) ? sequence : -1; // only the canonical (lower-case) spelling
    }

    /** SQL for the virtual column: the stored legacy id, or the same text as {@link #format}. */
    String sqlExpression(String sequenceColumn, String legacyColumn) {
        return "coalesce(" + legacyColumn + ", '" + prefix + "' || printf('%04x-%012x', 32768 + (" + sequenceColumn
                + " >> 48), " + sequenceColumn + " & 281474976710655))";
    }

    private static StringBuilder hex(StringBuilder b, long value, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            b.append(HEX[(int) (value >>> shift) & 0xF]);
        }
        return b;
    }

    private static long parseHex(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }
}
