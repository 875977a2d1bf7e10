// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

/** IEC 62056-21 baud rate codes: 0 = 300, 1 = 600, 2 = 1200, 3 = 2400, 4 = 4800, 5 = 9600, 6 = 19200. */
public final class BaudRates {

    public static final int SIGN_ON_BAUD = 300;
    public static final int MAX_CODE = 6;

    private BaudRates() {
    }

    public static int baudOf(int code) {
        if (code < 0 || code > MAX_CODE) {
            throw new IllegalArgumentException("baud rate code must be 0..6 (300..19200 baud), got " + code);
        }
        return 300 << code;
    }

    /** The code of a standard baud rate (300..19200). */
    public static int codeOf(int baud) {
        for (int code = 0; code <= MAX_CODE; code++) {
            if (baudOf(code) == baud) {
                return code;
            }
        }
        throw new IllegalArgumentException(
                "unsupported baud rate " + baud + "; use one of 300, 600, 1200, 2400, 4800, 9600, 19200");
    }

    /**
     * The identification's baud character Z: mode C '0'..'6', mode B 'A'..'F' (600..19200), mode A 'X'
     * (any character outside those ranges means "no switch").
     */
    public static char identificationCharacter(ProtocolMode mode, int maxCode) {
        switch (mode) {
        case A:
            return 'X';
        case B:
            if (maxCode < 1) {
                throw new IllegalArgumentException("mode B needs a maximum baud rate of at least 600");
            }
            return (char) ('A' + maxCode - 1);
        default:
            return (char) ('0' + maxCode);
        }
    }
}
