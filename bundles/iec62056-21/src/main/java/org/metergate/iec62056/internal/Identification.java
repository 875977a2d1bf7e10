// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import java.util.Optional;

/**
 * The identification a meter sends after the sign-on {@code /?!}: {@code /XXXZ[\W]ident}, with the three-letter
 * manufacturer XXX, the baud character Z and an optional enhanced-capability escape such as {@code \2} (mode E).
 */
record Identification(String manufacturer, char baudCharacter, boolean modeE, String text) {

    /** Parses one line without its CR LF; empty when it is not an identification. */
    static Optional<Identification> parse(String line) {
        if (line == null || line.length() < 6 || line.charAt(0) != '/') {
            return Optional.empty();
        }
        String manufacturer = line.substring(1, 4);
        for (char c : manufacturer.toCharArray()) {
            if (c < 0x21 || c > 0x7E) {
                return Optional.empty();
            }
        }
        char baud = line.charAt(4);
        int rest = 5;
        boolean modeE = false;
        if (line.length() >= rest + 2 && line.charAt(rest) == '\\') {
            modeE = line.charAt(rest + 1) == '2';
            rest += 2;
        }
        String text = line.substring(rest).strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Identification(manufacturer, baud, modeE, text));
    }

    /** 'A' (mode A: no baud switch), 'B' (baud letter A..F) or 'C' (baud digit 0..6). */
    char mode() {
        if (baudCharacter >= '0' && baudCharacter <= '6') {
            return 'C';
        }
        if (baudCharacter >= 'A' && baudCharacter <= 'F') {
            return 'B';
        }
        return 'A';
    }

    /** Highest baud rate the meter offers. */
    int maxBaud() {
        return switch (mode()) {
            case 'C' -> 300 << (baudCharacter - '0');
            case 'B' -> 600 << (baudCharacter - 'A');
            default -> 300;
        };
    }

    /** How a technician would read it, e.g. {@code MGS MGSIM55982395, mode C up to 9600 baud}. */
    String describe() {
        return manufacturer + " " + text + ", mode " + mode() + (mode() == 'A' ? " at 300 baud" : " up to "
                + maxBaud() + " baud") + (modeE ? ", offers mode E (HDLC)" : "");
    }
}
