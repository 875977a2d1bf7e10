// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.util.List;

/**
 * One MQTT message built from outbox messages: a single event, receipt or status, or a batch of readings.
 * {@code outboxIds} are acknowledged in the outbox once the broker sent PUBACK for it.
 */
record Publication(String msgId, String topicSuffix, byte[] payload, List<String> outboxIds, boolean priority,
        long lastSequence) {

    Publication {
        outboxIds = List.copyOf(outboxIds);
    }
}
