// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect delay with "full jitter" between half and the whole of the current step, so a
 * fleet of gateways coming back after a broker outage does not reconnect in lockstep.
 */
final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final DoubleSupplier random;
    private long stepMs;

    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initialMs = Math.max(1, initial.toMillis());
        this.maxMs = Math.max(initialMs, max.toMillis());
        this.random = random;
        this.stepMs = initialMs;
    }

    /** The delay before the next attempt; each call doubles the step up to the maximum. */
    Duration next() {
        long current = stepMs;
        stepMs = Math.min(maxMs, stepMs * 2);
        long jittered = current / 2 + (long) (random.getAsDouble() * (current - current / 2));
        return Duration.ofMillis(Math.max(1, Math.min(maxMs, jittered)));
    }

    void reset() {
        stepMs = initialMs;
    }
}
