// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.serial.internal;

import com.fazecast.jSerialComm.SerialPort;

import org.metergate.api.link.LinkSettings;
import org.metergate.api.link.Parity;

/**
 * The framing actually set on a port for the framing a caller asked for. Kernel pseudo-terminals (the socat
 * pairs the meter simulator uses) silently force 8 data bits without parity, so 7E1 there is carried as 8N1
 * with the top bit of every received byte cleared; 7E1 and 8N1 frames have the same length on the wire.
 */
record LineFraming(LinkSettings requested, LinkSettings onLine, boolean maskTo7Bits, String fallbackReason) {

    static LineFraming exact(LinkSettings requested) {
        return new LineFraming(requested, requested, false, null);
    }

    static LineFraming eightBitFallback(LinkSettings requested, String reason) {
        LinkSettings line = new LinkSettings(requested.baudRate(), 8, Parity.NONE, requested.stopBits());
        return new LineFraming(requested, line, requested.dataBits() == 7, reason);
    }

    boolean isFallback() {
        return fallbackReason != null;
    }

    /** Pseudo-terminals accept any termios call but ignore data-bit and parity changes. */
    static boolean pseudoTerminalIgnores(LinkSettings s) {
        return s.dataBits() != 8 || s.parity() != Parity.NONE;
    }

    static boolean isPseudoTerminal(String resolvedPath) {
        return resolvedPath.startsWith("/dev/pts/") || resolvedPath.equals("/dev/ptmx");
    }

    static boolean apply(SerialPort port, LinkSettings s) {
        int stopBits = s.stopBits() == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT;
        int parity = switch (s.parity()) {
            case NONE -> SerialPort.NO_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
        };
        return port.setComPortParameters(s.baudRate(), s.dataBits(), stopBits, parity);
    }

    @Override
    public String toString() {
        return isFallback()
                ? requested + " carried as " + onLine + (maskTo7Bits ? ", input masked to 7 bits" : "") + " ("
                        + fallbackReason + ")"
                : requested.toString();
    }
}
