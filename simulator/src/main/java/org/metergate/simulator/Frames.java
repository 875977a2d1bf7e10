// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** IEC 62056-21 control characters and message framing. */
public final class Frames {

    public static final byte SOH = 0x01;
    public static final byte STX = 0x02;
    public static final byte ETX = 0x03;
    public static final byte ACK = 0x06;
    public static final byte NAK = 0x15;

    private Frames() {
    }

    /** XOR of all bytes from {@code from} (the byte after the first SOH or STX) up to {@code to} exclusive. */
    public static byte bcc(byte[] bytes, int from, int to) {
        byte bcc = 0;
        for (int i = from; i < to; i++) {
            bcc ^= bytes[i];
        }
        return bcc;
    }

    /** {@code STX text ETX BCC}; the BCC covers text and ETX. */
    public static byte[] stxBlock(String text, boolean corruptBcc) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(STX);
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        out.write(ETX);
        return withBcc(out, corruptBcc);
    }

    /** {@code SOH command STX data ETX BCC}; the BCC covers everything after SOH up to and including ETX. */
    public static byte[] sohBlock(String command, String data, boolean corruptBcc) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(SOH);
        out.writeBytes(command.getBytes(StandardCharsets.US_ASCII));
        out.write(STX);
        out.writeBytes(data.getBytes(StandardCharsets.US_ASCII));
        out.write(ETX);
        return withBcc(out, corruptBcc);
    }

    private static byte[] withBcc(ByteArrayOutputStream out, boolean corrupt) {
        byte[] body = out.toByteArray();
        byte bcc = bcc(body, 1, body.length);
        // flip the lowest bit: wrong, yet still a 7-bit character as on a 7E1 line
        out.write(corrupt ? bcc ^ 0x01 : bcc);
        return out.toByteArray();
    }
}
