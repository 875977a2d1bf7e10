// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.link;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Opens byte links to meters and lists local serial ports. Published by the serial bundle. */
public interface LinkService {

    /**
     * Opens a link with the given framing.
     *
     * @param openTimeout longest wait for the port or the TCP connection
     * @throws LinkUnavailableException port missing or busy, serial server unreachable
     */
    ByteLink open(LinkAddress address, LinkSettings settings, Duration openTimeout) throws IOException;

    /** Serial ports present on this system, for discovery. */
    List<PortInfo> listPorts();
}
