// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

import java.time.Duration;

/**
 * How often a meter is read and how failures are retried: {@code retries} further attempts after the
 * first, waiting {@code initialBackoff} and doubling up to {@code maxBackoff}.
 */
public record PollPolicy(Duration interval, int retries, Duration initialBackoff, Duration maxBackoff) {

    public PollPolicy {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive");
        }
        if (retries < 0 || retries > 10) {
            throw new IllegalArgumentException("retries must be 0..10, not " + retries);
        }
        if (initialBackoff == null || initialBackoff.isNegative() || maxBackoff == null
                || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be non-negative and max >= initial");
        }
    }

    /** Wait before retry number {@code attempt} (1-based): initial x 2^(attempt-1), capped. */
    public Duration backoffBefore(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based");
        }
        Duration d = initialBackoff;
        for (int i = 1; i < attempt && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
