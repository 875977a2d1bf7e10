// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

import java.time.Instant;

/**
 * Snapshot of one meter for status pages and shell commands. {@code lastError} is the technician-readable
 * message of the last failure, null when the last read succeeded; instants are null until they happened.
 * {@code catchUp} is the load-profile catch-up in progress (since 1.1), null when none runs.
 */
public record MeterStatus(String meterId, String protocol, String link, MeterState state, Instant lastSuccess,
        Instant lastAttempt, Instant nextPoll, int consecutiveFailures, String lastError, ProfileCatchUp catchUp) {

    /** A meter without a catch-up in progress (the 1.0 form). */
    public MeterStatus(String meterId, String protocol, String link, MeterState state, Instant lastSuccess,
            Instant lastAttempt, Instant nextPoll, int consecutiveFailures, String lastError) {
        this(meterId, protocol, link, state, lastSuccess, lastAttempt, nextPoll, consecutiveFailures, lastError,
                null);
    }
}
