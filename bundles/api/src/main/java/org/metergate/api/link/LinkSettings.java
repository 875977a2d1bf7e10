// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.link;

/**
 * Character framing of a byte link. A TCP link to a serial server accepts these
 * settings but cannot change the remote line (raw ser2net mode).
 */
public record LinkSettings(int baudRate, int dataBits, Parity parity, int stopBits) {

    /** IEC 62056-21 sign-on framing: 300 baud, 7 data bits, even parity, 1 stop bit. */
    public static final LinkSettings IEC_SIGN_ON = new LinkSettings(300, 7, Parity.EVEN, 1);

    public LinkSettings {
        if (baudRate < 50 || baudRate > 4_000_000) {
            throw new IllegalArgumentException("baud rate " + baudRate + " is outside 50..4000000");
        }
        if (dataBits < 5 || dataBits > 8) {
            throw new IllegalArgumentException("data bits must be 5..8, not " + dataBits);
        }
        if (parity == null) {
            throw new IllegalArgumentException("parity is required");
        }
        if (stopBits != 1 && stopBits != 2) {
            throw new IllegalArgumentException("stop bits must be 1 or 2, not " + stopBits);
        }
    }

    public LinkSettings withBaudRate(int newBaudRate) {
        return new LinkSettings(newBaudRate, dataBits, parity, stopBits);
    }

    /** Bits on the wire per character: start bit, data bits, parity bit, stop bits. */
    public int bitsPerCharacter() {
        return 1 + dataBits + (parity == Parity.NONE ? 0 : 1) + stopBits;
    }

    @Override
    public String toString() {
        return baudRate + " " + dataBits + parity.name().charAt(0) + stopBits;
    }
}
