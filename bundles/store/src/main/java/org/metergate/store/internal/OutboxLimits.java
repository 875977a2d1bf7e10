// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

/**
 * How much the outbox may hold. When either limit would be exceeded, routine messages are dropped (oldest
 * first); messages that must not be dropped are refused instead.
 */
record OutboxLimits(long maxMessages, long maxPayloadBytes) {

    /** Smallest sensible limits: one message plus the drop report must always fit. */
    static final long MIN_MESSAGES = 3;
    static final long MIN_PAYLOAD_BYTES = 4096;

    OutboxLimits {
        if (maxMessages < MIN_MESSAGES) {
            throw new IllegalArgumentException("maxMessages is " + maxMessages + "; it must be at least "
                    + MIN_MESSAGES + " (typical: 100000)");
        }
        if (maxPayloadBytes < MIN_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("maxPayloadBytes is " + maxPayloadBytes + "; it must be at least "
                    + MIN_PAYLOAD_BYTES + " (typical: 67108864 = 64 MiB)");
        }
    }

    static OutboxLimits defaults() {
        return new OutboxLimits(100_000, 64L * 1024 * 1024);
    }
}
