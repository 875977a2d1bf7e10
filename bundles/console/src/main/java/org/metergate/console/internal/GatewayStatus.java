// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.outbox.OutboxStats;

/**
 * What the overview and meters pages show, taken at {@code at}. {@code gatewayId} and {@code outbox} are null when the
 * service behind them is not running; {@code problems} are sentences for a technician, most important first.
 */
record GatewayStatus(Instant at, String gatewayId, String version, Duration uptime, String headendLink,
        OutboxStats outbox, List<MeterStatus> meters, Map<String, MeterReadout> lastReadouts, List<String> problems) {

    GatewayStatus {
        meters = List.copyOf(meters);
        lastReadouts = Map.copyOf(lastReadouts);
        problems = List.copyOf(problems);
    }
}
