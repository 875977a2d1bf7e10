// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Slows down guessing: after {@code failuresBeforeLockout} wrong passwords or setup codes in a row, every attempt
 * waits for a pause that starts at {@code firstPause} and doubles with each further failure, up to 15 minutes. The
 * count is for the whole console, not per client address: a guesser with many addresses gets no more tries. A right
 * password ends it.
 */
final class LoginThrottle {

    private final Clock clock;
    private final int failuresBeforeLockout;
    private final Duration firstPause;
    private int consecutiveFailures;
    private Instant blockedUntil = Instant.MIN;

    LoginThrottle(Clock clock, int failuresBeforeLockout, Duration firstPause) {
        this.clock = clock;
        this.failuresBeforeLockout = failuresBeforeLockout;
        this.firstPause = firstPause;
    }

    /** How long the next attempt must still wait; empty when it may be checked now. */
    synchronized Optional<Duration> waitRemaining() {
        Instant now = clock.instant();
        return now.isBefore(blockedUntil) ? Optional.of(Duration.between(now, blockedUntil)) : Optional.empty();
    }

    synchronized void failed() {
        consecutiveFailures++;
        int beyond = consecutiveFailures - failuresBeforeLockout;
        if (beyond >= 0) {
            Duration pause = firstPause.multipliedBy(1L << Math.min(beyond, 20));
            if (pause.compareTo(ConsoleSettings.MAX_LOCKOUT) > 0) {
                pause = ConsoleSettings.MAX_LOCKOUT;
            }
            blockedUntil = clock.instant().plus(pause);
        }
    }

    synchronized void succeeded() {
        consecutiveFailures = 0;
        blockedUntil = Instant.MIN;
    }
}
