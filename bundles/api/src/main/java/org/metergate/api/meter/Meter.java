// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

import org.metergate.api.link.LinkAddress;

/**
 * A configured meter, published as a service by the protocol driver bundle that speaks to it (one per
 * ConfigAdmin factory configuration). The metering bundle picks up every Meter service and polls it.
 * Service property {@link #METER_ID} carries {@link #id()}.
 */
public interface Meter {

    String METER_ID = "meter.id";

    /** Stable identifier chosen at installation, {@code [A-Za-z0-9_-]+}. */
    String id();

    /** Protocol name, e.g. {@code iec62056-21} or {@code dlms}. */
    String protocol();

    LinkAddress link();

    PollPolicy pollPolicy();

    /**
     * Opens a session: connects the link and signs on. Bounded by the configured timeouts.
     *
     * @throws MeterException with a technician-readable message when the meter cannot be reached
     */
    MeterSession open() throws MeterException;
}
