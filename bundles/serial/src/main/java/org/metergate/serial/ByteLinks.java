// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.serial;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.metergate.api.link.ByteLink;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkSettings;
import org.metergate.api.link.LinkUnavailableException;
import org.metergate.api.link.PortInfo;
import org.metergate.serial.internal.SerialByteLink;
import org.metergate.serial.internal.SerialPorts;
import org.metergate.serial.internal.TcpByteLink;

/**
 * Opens byte links to meters: local serial devices through jSerialComm, serial servers (ser2net raw mode)
 * over TCP. Stateless; every call opens a fresh, exclusive link that the caller must close.
 */
public final class ByteLinks {

    /** Read timeout of a freshly opened link, until the caller sets its own. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

    private ByteLinks() {
    }

    /**
     * Opens a link with the given framing.
     *
     * @param openTimeout longest wait for the TCP connection, or for a busy local port to become free
     * @throws LinkUnavailableException port missing or busy, serial server refusing or unreachable; the
     *         message says what to check
     * @throws IOException the port opened but rejected the framing
     */
    public static ByteLink open(LinkAddress address, LinkSettings settings, Duration openTimeout) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(openTimeout, "openTimeout");
        if (openTimeout.isNegative() || openTimeout.isZero()) {
            throw new IllegalArgumentException("open timeout must be positive, not " + openTimeout);
        }
        return switch (address.kind()) {
            case SERIAL -> SerialByteLink.open(address, settings, openTimeout, DEFAULT_READ_TIMEOUT);
            case TCP -> TcpByteLink.open(address, settings, openTimeout, DEFAULT_READ_TIMEOUT);
        };
    }

    /**
     * Serial ports present on this system. Whether a port is busy is found by a brief exclusive open that
     * leaves the line settings untouched; a port held by another program shows as busy.
     */
    public static List<PortInfo> listPorts() {
        return listPorts(true);
    }

    /** As {@link #listPorts()}; with {@code probeBusy} false no port is opened and none is reported busy. */
    public static List<PortInfo> listPorts(boolean probeBusy) {
        return SerialPorts.list(probeBusy);
    }
}
