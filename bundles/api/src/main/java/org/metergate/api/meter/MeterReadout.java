// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

import java.time.Instant;
import java.util.List;

/** What one read session returned: the meter's identification and its values. */
public record MeterReadout(String meterId, String identification, Instant readAt, List<Reading> readings) {

    public MeterReadout {
        readings = List.copyOf(readings);
    }
}
