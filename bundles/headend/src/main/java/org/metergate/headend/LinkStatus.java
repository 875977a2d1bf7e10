// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.time.Instant;

import org.metergate.api.outbox.OutboxStats;

/**
 * Snapshot of the link for status pages and {@code get-status}. {@code lastError} is written for a
 * technician and stays until the next success; {@code backlog} is the outbox depth (null if unknown).
 */
public record LinkStatus(String gatewayId, String brokerUri, LinkState state, Instant connectedSince,
        Instant lastPublish, long published, String lastError, Instant lastErrorAt, OutboxStats backlog) {

    public boolean connected() {
        return state == LinkState.CONNECTED;
    }
}
