// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.metergate.api.link.ByteLink;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkService;
import org.metergate.api.link.LinkSettings;
import org.metergate.api.link.PortInfo;
import org.metergate.serial.embedded.SerialLinks;

/**
 * The real serial links (pseudo-terminals, TCP) with a port list of the test's choosing: the system's own list does
 * not include the simulators' ptys.
 */
final class ListedPorts implements LinkService {

    private final LinkService real = SerialLinks.linkService();
    private final List<PortInfo> ports;
    private final CountDownLatch gate = new CountDownLatch(1);
    private volatile LinkAddress held;

    ListedPorts(List<PortInfo> ports) {
        this.ports = List.copyOf(ports);
    }

    /** Opening this link waits until {@link #release()}: a test sees discovery running for as long as it needs. */
    void hold(LinkAddress link) {
        held = link;
    }

    void release() {
        gate.countDown();
    }

    @Override
    public ByteLink open(LinkAddress address, LinkSettings settings, Duration openTimeout) throws IOException {
        if (address.equals(held)) {
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("the test never released " + address);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while held", e);
            }
        }
        return real.open(address, settings, openTimeout);
    }

    @Override
    public List<PortInfo> listPorts() {
        return ports;
    }
}
