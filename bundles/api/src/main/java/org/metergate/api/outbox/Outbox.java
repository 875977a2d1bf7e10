// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.outbox;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Write-ahead store of uplink messages: everything the gateway sends goes here first and is removed
 * only after the broker acknowledged it. Implementations must be thread-safe. One contract, several
 * implementations (memory, SQLite); all run the same contract test suite.
 */
public interface Outbox {

    /**
     * Accepts a message. When this returns, the message survives what the implementation promises
     * (the durable store: process crash and power loss).
     *
     * @param meterId the meter the message is about, or null for gateway-level messages
     * @throws OutboxException when the message cannot be accepted (disk full, read-only, full of
     *                         messages that must not be dropped); the caller keeps it and reports
     */
    OutboxMessage append(MessageKind kind, String meterId, Retention retention, String payload)
            throws OutboxException;

    /** Up to {@code max} oldest messages of the given kinds, in sequence order, without removing them. */
    List<OutboxMessage> oldest(Set<MessageKind> kinds, int max) throws OutboxException;

    /** Removes delivered messages; unknown ids are ignored (acknowledging twice is harmless). */
    void acknowledge(Collection<String> msgIds) throws OutboxException;

    OutboxStats stats();
}
