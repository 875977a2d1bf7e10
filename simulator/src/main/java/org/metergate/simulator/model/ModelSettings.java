// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.model;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Settings shared by the consumption models of a fleet.
 *
 * @param seed            makes every model deterministic per (seed, meter id)
 * @param speedUp         simulated time runs this many times faster than real time (1 = real time)
 * @param zone            the meter's local time zone (tariff switching, clock registers)
 * @param realClock       source of real time; tests inject a fixed or stepping clock
 * @param simulatedStart  simulated instant at which the model starts; {@code null} means "real now"
 */
public record ModelSettings(long seed, double speedUp, ZoneId zone, Clock realClock, Instant simulatedStart) {

    public ModelSettings {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(realClock, "realClock");
        if (!(speedUp > 0) || Double.isInfinite(speedUp)) {
            throw new IllegalArgumentException("speed-up must be a positive finite number, got " + speedUp);
        }
    }

    /** Real time, UTC, no speed-up. */
    public static ModelSettings realTime(long seed) {
        return new ModelSettings(seed, 1.0, ZoneOffset.UTC, Clock.systemUTC(), null);
    }

    public ModelSettings withSpeedUp(double factor) {
        return new ModelSettings(seed, factor, zone, realClock, simulatedStart);
    }

    public ModelSettings withZone(ZoneId newZone) {
        return new ModelSettings(seed, speedUp, newZone, realClock, simulatedStart);
    }

    public ModelSettings withRealClock(Clock clock) {
        return new ModelSettings(seed, speedUp, zone, clock, simulatedStart);
    }

    public ModelSettings withSimulatedStart(Instant start) {
        return new ModelSettings(seed, speedUp, zone, realClock, start);
    }
}
