// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * A message accepted by the outbox. {@code sequence} orders messages (ascending = older); {@code msgId} is
 * unique and travels with the message so the head-end can drop duplicates. {@code meterId} is null for
 * gateway-level messages. {@code payload} is the UTF-8 JSON document sent as is.
 */
public record OutboxMessage(long sequence, String msgId, MessageKind kind, String meterId, Retention retention,
        Instant createdAt, String payload) {

    public OutboxMessage {
        Objects.requireNonNull(msgId, "msgId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(payload, "payload");
    }
}
