// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.metergate.simulator.model.ModelSettings;

/** Fast meters for protocol tests: 10 ms reaction, no wire pacing, short session timeouts. */
final class MeterFixture {

    static final Instant NOON = Instant.parse("2026-06-15T12:00:00Z");

    private MeterFixture() {
    }

    static SimulatedMeter.Builder meter(String id) {
        return SimulatedMeter.builder(id)
                .reactionTime(Duration.ofMillis(10))
                .model(new ModelSettings(7, 1, ZoneOffset.UTC, Clock.fixed(NOON, ZoneOffset.UTC), NOON));
    }

    static MeterFleet fleet(SimulatedMeter... meters) throws IOException {
        MeterFleet.Builder b = MeterFleet.builder().wireSpeed(false)
                .sessionTimeouts(new SessionTimeouts(Duration.ofMillis(300), Duration.ofMillis(500), Duration.ofSeconds(2)));
        for (SimulatedMeter m : meters) {
            b.add(m, 0);
        }
        return b.start();
    }
}
