// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.embedded;

import java.util.Objects;

import org.metergate.api.discovery.MeterProbe;
import org.metergate.api.link.LinkService;
import org.metergate.iec62056.internal.Iec21Probe;

/**
 * Makes the IEC 62056-21 bundle's parts without OSGi, the same classes it publishes as services.
 *
 * <p>For embedding the implementation outside OSGi (tests, simulators); not an OSGi API. The bundle does not
 * export this package; inside OSGi use its {@link MeterProbe} service, and configure meters in {@code conf/}.
 */
public final class Iec21Drivers {

    private Iec21Drivers() {
    }

    /**
     * The discovery probe the bundle publishes as a {@link MeterProbe} service: the sign-on {@code /?!} at 300 baud
     * 7E1 on a link opened through {@code links}, tried twice, and the meter's identification line turned into a
     * proposed configuration (factory PID {@code org.metergate.iec62056.meter}). Nothing else is sent to the meter.
     */
    public static MeterProbe probe(LinkService links) {
        return new Iec21Probe(Objects.requireNonNull(links, "links"));
    }
}
