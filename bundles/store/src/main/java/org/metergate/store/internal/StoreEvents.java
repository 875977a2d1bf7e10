// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.time.Instant;
import java.util.List;

/** Payloads (event/v1 JSON) of the events the store itself reports through the outbox. */
final class StoreEvents {

    private StoreEvents() {
    }

    static String routineDropped(List<CapacityPlanner.Candidate> drops, Instant now, OutboxLimits limits) {
        CapacityPlanner.Candidate first = drops.get(0);
        CapacityPlanner.Candidate last = drops.get(drops.size() - 1);
        String detail = "outbox full (limits " + limits.maxMessages() + " messages, " + limits.maxPayloadBytes()
                + " bytes): dropped " + drops.size() + " routine messages created " + first.createdAt() + " to "
                + last.createdAt();
        return "{\"schema\":\"event/v1\",\"meter\":null,\"type\":\"messages-dropped\",\"ts\":\"" + now
                + "\",\"dropped\":" + drops.size() + ",\"from\":\"" + first.createdAt() + "\",\"to\":\""
                + last.createdAt() + "\",\"firstSequence\":" + first.sequence() + ",\"lastSequence\":"
                + last.sequence() + ",\"detail\":" + quote(detail) + "}";
    }

    static String quarantined(String quarantinedAs, String reason, Instant now) {
        String detail = "the outbox database was unreadable (" + reason + "); it was kept as " + quarantinedAs
                + " and a new, empty one was started. Messages queued before are in the kept file.";
        return "{\"schema\":\"event/v1\",\"meter\":null,\"type\":\"store-quarantined\",\"ts\":\"" + now
                + "\",\"file\":" + quote(quarantinedAs) + ",\"detail\":" + quote(detail) + "}";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
