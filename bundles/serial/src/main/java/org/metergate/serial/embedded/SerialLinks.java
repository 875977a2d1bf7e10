// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.serial.embedded;

import org.metergate.api.link.LinkService;
import org.metergate.serial.internal.SerialLinkService;

/**
 * Makes the serial bundle's {@link LinkService} without OSGi, the same class its component publishes
 * (configuration PID {@code org.metergate.serial}) with the default configuration: local serial ports and
 * pseudo-terminals through jSerialComm, {@code tcp://host:port} serial servers, and a port list that opens each
 * port briefly to report the busy ones.
 *
 * <p>For embedding the implementation outside OSGi (tests, simulators); not an OSGi API. The bundle does not
 * export this package; inside OSGi use the {@code LinkService} service. (The one package it does export,
 * {@code org.metergate.serial}, is for libraries that open a port by name.)
 */
public final class SerialLinks {

    private SerialLinks() {
    }

    /** The link service as the gateway runs it with an empty {@code conf/org.metergate.serial.cfg}. */
    public static LinkService linkService() {
        return new SerialLinkService();
    }
}
