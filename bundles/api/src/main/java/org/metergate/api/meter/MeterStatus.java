// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

import java.time.Instant;

/**
 * Snapshot of one meter for status pages and shell commands. {@code lastError} is the technician-readable
 * message of the last failure, null when the last read succeeded; instants are null until they happened.
 */
public record MeterStatus(String meterId, String protocol, String link, MeterState state, Instant lastSuccess,
        Instant lastAttempt, Instant nextPoll, int consecutiveFailures, String lastError) {
}
