// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.serial.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import com.fazecast.jSerialComm.SerialPort;

import org.metergate.api.link.PortInfo;

/** Port discovery and the translation of open failures into words a technician can act on. */
public final class SerialPorts {

    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int EAGAIN = 11;
    private static final int EACCES = 13;
    private static final int EBUSY = 16;

    private SerialPorts() {
    }

    public static List<PortInfo> list(boolean probeBusy) {
        List<PortInfo> ports = new ArrayList<>();
        for (SerialPort port : SerialPort.getCommPorts()) {
            ports.add(new PortInfo(port.getSystemPortPath(), describe(port), probeBusy && isBusy(port)));
        }
        return ports;
    }

    /** Comma-separated paths of the ports present, for "does not exist" messages. */
    static String presentPortNames() {
        String names = Arrays.stream(SerialPort.getCommPorts()).map(SerialPort::getSystemPortPath)
                .collect(Collectors.joining(", "));
        return names.isEmpty() ? "none" : names;
    }

    /** Open failed because another holder has the port: worth waiting for, and worth saying so. */
    static boolean isBusyError(int errno) {
        // jSerialComm takes an exclusive flock (EAGAIN when another process holds it); a second open of a
        // port already open in this JVM fails with ENOENT from its internal bookkeeping although the device exists.
        return errno == EAGAIN || errno == EBUSY || errno == ENOENT;
    }

    static boolean isPermissionError(int errno) {
        return errno == EACCES || errno == EPERM;
    }

    private static String describe(SerialPort port) {
        String descriptive = port.getDescriptivePortName();
        String description = port.getPortDescription();
        return descriptive.equals(description) ? descriptive : descriptive + " (" + description + ")";
    }

    private static boolean isBusy(SerialPort port) {
        // Opening without configuration keeps the termios of a port that a non-locking program (a getty) uses.
        port.disablePortConfiguration();
        if (port.openPort(0)) {
            port.closePort();
            return false;
        }
        return isBusyError(port.getLastErrorCode());
    }
}
