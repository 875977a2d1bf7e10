// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.model;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Simulated time: runs {@code speedUp} times faster than the real clock from a start instant. */
public final class SimulationClock {

    private final Clock realClock;
    private final Instant realStart;
    private final Instant simulatedStart;
    private final double speedUp;

    public SimulationClock(Clock realClock, Instant simulatedStart, double speedUp) {
        this.realClock = realClock;
        this.realStart = realClock.instant();
        this.simulatedStart = simulatedStart;
        this.speedUp = speedUp;
    }

    public Instant now() {
        long realNanos = Duration.between(realStart, realClock.instant()).toNanos();
        return simulatedStart.plusNanos((long) (Math.max(0, realNanos) * speedUp));
    }

    public double speedUp() {
        return speedUp;
    }
}
