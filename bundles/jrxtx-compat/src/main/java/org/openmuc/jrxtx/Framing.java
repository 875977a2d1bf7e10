// SPDX-License-Identifier: GPL-3.0-or-later
package org.openmuc.jrxtx;

import org.metergate.api.link.LinkSettings;

/** The jrxtx view of a line's framing, translated to link settings. */
record Framing(int baudRate, DataBits dataBits, Parity parity, StopBits stopBits) {

    Framing withBaudRate(int newBaudRate) {
        return new Framing(newBaudRate, dataBits, parity, stopBits);
    }

    Framing withDataBits(DataBits newDataBits) {
        return new Framing(baudRate, newDataBits, parity, stopBits);
    }

    Framing withParity(Parity newParity) {
        return new Framing(baudRate, dataBits, newParity, stopBits);
    }

    Framing withStopBits(StopBits newStopBits) {
        return new Framing(baudRate, dataBits, parity, newStopBits);
    }

    /** @throws SerialPortException for settings Metergate links cannot carry */
    LinkSettings toLinkSettings() throws SerialPortException {
        if (dataBits == null || parity == null || stopBits == null) {
            throw new SerialPortException("data bits, parity and stop bits must all be set");
        }
        org.metergate.api.link.Parity linkParity = switch (parity) {
            case NONE -> org.metergate.api.link.Parity.NONE;
            case EVEN -> org.metergate.api.link.Parity.EVEN;
            case ODD -> org.metergate.api.link.Parity.ODD;
            case MARK, SPACE -> throw new SerialPortException(
                    "parity " + parity + " is not supported; use NONE, EVEN or ODD");
        };
        int linkStopBits = switch (stopBits) {
            case STOPBITS_1 -> 1;
            case STOPBITS_2 -> 2;
            case STOPBITS_1_5 -> throw new SerialPortException("1.5 stop bits are not supported; use 1 or 2");
        };
        try {
            return new LinkSettings(baudRate, dataBits.count(), linkParity, linkStopBits);
        } catch (IllegalArgumentException e) {
            throw new SerialPortException(e.getMessage());
        }
    }
}
