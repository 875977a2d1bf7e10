// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OBIS code (IEC 62056-61) A-B:C.D.E*F. Accepts the full form ({@code 1-0:1.8.0*255} or
 * {@code 1-0:1.8.0.255}) and the short IEC 62056-21 readout form ({@code 1.8.0}, {@code C.1.0},
 * {@code F.F}); missing groups default to A=1 (electricity), B=0, E=0 and F=255, and the letter codes
 * C, F, L, P stand for 96, 97, 98, 99.
 */
public record ObisCode(int a, int b, int c, int d, int e, int f) {

    private static final Pattern FULL = Pattern.compile("(\\w+)-(\\w+):(\\w+)\\.(\\w+)\\.(\\w+)(?:[*.&](\\w+))?");
    private static final Pattern SHORT = Pattern.compile("(\\w+)\\.(\\w+)(?:\\.(\\w+))?(?:[*&](\\w+))?");

    public ObisCode {
        for (int v : new int[] {a, b, c, d, e, f}) {
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("OBIS group value " + v + " is outside 0..255");
            }
        }
    }

    public static ObisCode of(int a, int b, int c, int d, int e, int f) {
        return new ObisCode(a, b, c, d, e, f);
    }

    /** @throws IllegalArgumentException when the text is not an OBIS code, naming the text */
    public static ObisCode parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("OBIS code is missing");
        }
        String t = text.trim();
        try {
            Matcher m = FULL.matcher(t);
            if (m.matches()) {
                return new ObisCode(group(m.group(1)), group(m.group(2)), group(m.group(3)), group(m.group(4)),
                        group(m.group(5)), m.group(6) == null ? 255 : group(m.group(6)));
            }
            m = SHORT.matcher(t);
            if (m.matches()) {
                return new ObisCode(1, 0, group(m.group(1)), group(m.group(2)),
                        m.group(3) == null ? 0 : group(m.group(3)), m.group(4) == null ? 255 : group(m.group(4)));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an OBIS code: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("'" + text + "' is not an OBIS code (expected A-B:C.D.E*F or C.D.E)");
    }

    private static int group(String g) {
        switch (g.toUpperCase()) {
            case "C": return 96;
            case "F": return 97;
            case "L": return 98;
            case "P": return 99;
            default:
                try {
                    return Integer.parseInt(g);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("group '" + g + "' is not a number or letter code");
                }
        }
    }

    /** The six bytes of the COSEM logical name. */
    public byte[] toBytes() {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d, (byte) e, (byte) f};
    }

    @Override
    public String toString() {
        return a + "-" + b + ":" + c + "." + d + "." + e + "*" + f;
    }
}
