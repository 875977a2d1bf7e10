// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.uplink;

import java.time.Instant;
import java.util.Objects;

/**
 * Snapshot of the head-end link. {@code lastError} is written for a technician and stays until the next success;
 * instants are null until the event happened; {@code brokerUri} is null while the link is not configured.
 */
public record UplinkStatus(String brokerUri, UplinkState state, Instant connectedSince, Instant lastPublish,
        long published, String lastError, Instant lastErrorAt) {

    public UplinkStatus {
        Objects.requireNonNull(state, "state");
    }

    public boolean connected() {
        return state == UplinkState.CONNECTED;
    }
}
