// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.time.Duration;
import java.time.Instant;

/**
 * Simulated time shared by the meters of one simulator: starts at a given instant, runs {@code speedUp} times
 * faster than the wall clock (0 freezes it, for tests) and can be pushed forward with {@link #advance(Duration)}.
 */
public final class SimClock {
    private final double speedUp;
    private final long startNanos;
    private final Instant start;
    private long advancedMillis;

    public SimClock(Instant start, double speedUp) {
        if (speedUp < 0 || Double.isNaN(speedUp) || Double.isInfinite(speedUp)) {
            throw new IllegalArgumentException("speed-up must be a finite number >= 0, got " + speedUp);
        }
        this.start = start;
        this.speedUp = speedUp;
        this.startNanos = System.nanoTime();
    }

    /** A clock frozen at {@code start}; only {@link #advance(Duration)} moves it. */
    public static SimClock frozenAt(Instant start) {
        return new SimClock(start, 0);
    }

    public synchronized Instant now() {
        long elapsedMillis = (long) ((System.nanoTime() - startNanos) / 1_000_000.0 * speedUp);
        return start.plusMillis(elapsedMillis + advancedMillis);
    }

    public synchronized void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("simulated time only moves forward, got " + duration);
        }
        advancedMillis += duration.toMillis();
    }

    public double speedUp() {
        return speedUp;
    }
}
