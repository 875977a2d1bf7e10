// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import org.metergate.api.link.ByteLink;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkService;
import org.metergate.api.link.LinkSettings;
import org.metergate.api.link.PortInfo;
import org.metergate.serial.internal.SerialLinkService;

/**
 * The real serial links (pseudo-terminals, TCP) with a port list of the test's choosing: the system's own list does
 * not include the simulators' ptys.
 */
final class ListedPorts implements LinkService {

    private final LinkService real = new SerialLinkService();
    private final List<PortInfo> ports;

    ListedPorts(List<PortInfo> ports) {
        this.ports = List.copyOf(ports);
    }

    @Override
    public ByteLink open(LinkAddress address, LinkSettings settings, Duration openTimeout) throws IOException {
        return real.open(address, settings, openTimeout);
    }

    @Override
    public List<PortInfo> listPorts() {
        return ports;
    }
}
