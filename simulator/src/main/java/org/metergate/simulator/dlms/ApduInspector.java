// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

/**
 * Reads the invocation counter (frame counter) out of a ciphered APDU without decrypting it, so the meter can
 * refuse replays before jDLMS processes the request. Covers the AARQ's glo-initiate-request, the glo-* service
 * requests and general-glo-ciphering.
 */
final class ApduInspector {
    static final long NOT_CIPHERED = -1;

    private static final int AARQ = 0x60;
    private static final int USER_INFORMATION = 0xBE;
    private static final int GLO_INITIATE_REQUEST = 0x21;
    private static final int GENERAL_GLO_CIPHERING = 0xDB;

    private ApduInspector() {
    }

    static boolean isAarq(byte[] apdu) {
        return apdu.length > 0 && (apdu[0] & 0xFF) == AARQ;
    }

    static long invocationCounter(byte[] apdu) {
        try {
            return counterOf(apdu, 0);
        } catch (ArrayIndexOutOfBoundsException e) {
            return NOT_CIPHERED;
        }
    }

    private static long counterOf(byte[] b, int start) {
        int tag = b[start] & 0xFF;
        int[] pos = { start + 1 };
        if (tag == AARQ) {
            int end = readLength(b, pos) + pos[0];
            while (pos[0] < end) {
                int elementTag = b[pos[0]++] & 0xFF;
                int length = readLength(b, pos);
                if (elementTag == USER_INFORMATION) {
                    int inner = pos[0];
                    if ((b[inner] & 0xFF) != 0x04) {
                        return NOT_CIPHERED;
                    }
                    int[] innerPos = { inner + 1 };
                    readLength(b, innerPos);
                    return counterOf(b, innerPos[0]);
                }
                pos[0] += length;
            }
            return NOT_CIPHERED;
        }
        if (tag == GENERAL_GLO_CIPHERING) {
            int titleLength = b[pos[0]++] & 0xFF;
            pos[0] += titleLength;
            readLength(b, pos);
            return readCounter(b, pos[0] + 1);
        }
        boolean gloRequest = tag >= 0xC8 && tag <= 0xCB;
        boolean dedRequest = tag >= 0xD0 && tag <= 0xD3;
        if (tag == GLO_INITIATE_REQUEST || gloRequest || dedRequest) {
            readLength(b, pos);
            return readCounter(b, pos[0] + 1); // skip the security control byte
        }
        return NOT_CIPHERED;
    }

    private static long readCounter(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8)
                | (b[at + 3] & 0xFF);
    }

    private static int readLength(byte[] b, int[] pos) {
        int first = b[pos[0]++] & 0xFF;
        if (first < 0x80) {
            return first;
        }
        int count = first & 0x7F;
        int length = 0;
        for (int i = 0; i < count; i++) {
            length = (length << 8) | (b[pos[0]++] & 0xFF);
        }
        return length;
    }
}
