// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.outbox;

import java.time.Instant;

/** Depth of the outbox for status: count, payload bytes, age of the oldest message, drops so far. */
public record OutboxStats(long messages, long payloadBytes, Instant oldestCreatedAt, long droppedRoutine,
        String lastError) {
}
