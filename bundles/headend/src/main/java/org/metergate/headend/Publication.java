// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.util.List;

/**
 * One MQTT message built from outbox messages: a single event, receipt or status, or a batch of readings.
 * {@code outboxIds} are acknowledged in the outbox once the broker sent PUBACK for it. {@code contentEncoding}
 * names how the payload is compressed ({@link ReadingsCompression#GZIP}), or is null for plain UTF-8 JSON.
 */
record Publication(String msgId, String topicSuffix, byte[] payload, List<String> outboxIds, boolean priority,
        long lastSequence, String contentEncoding) {

    Publication {
        outboxIds = List.copyOf(outboxIds);
    }

    /** A plain UTF-8 JSON payload. */
    Publication(String msgId, String topicSuffix, byte[] payload, List<String> outboxIds, boolean priority,
            long lastSequence) {
        this(msgId, topicSuffix, payload, outboxIds, priority, lastSequence, null);
    }
}
