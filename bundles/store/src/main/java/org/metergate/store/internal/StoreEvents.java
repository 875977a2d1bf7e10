// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.time.Instant;

/** Payloads (event/v1 JSON) of the events the store itself reports through the outbox. */
final class StoreEvents {

    private StoreEvents() {
    }

    /**
     * @param superseded msgId of an earlier, undelivered report this one replaces (its drops are included),
     *                   or null
     */
    static String routineDropped(DropReport.Summary drops, String superseded, Instant now, OutboxLimits limits) {
        String detail = "outbox full (limits " + limits.maxMessages() + " messages, " + limits.maxPayloadBytes()
                + " bytes): " + drops.dropped() + " routine messages created " + drops.from() + " to " + drops.to()
                + " were dropped";
        return "{\"schema\":\"event/v1\",\"meter\":null,\"type\":\"messages-dropped\",\"ts\":\"" + now
                + "\",\"dropped\":" + drops.dropped() + ",\"from\":\"" + drops.from() + "\",\"to\":\"" + drops.to()
                + "\",\"firstSequence\":" + drops.firstSequence() + ",\"lastSequence\":" + drops.lastSequence()
                + (superseded == null ? "" : ",\"supersedes\":" + quote(superseded))
                + ",\"detail\":" + quote(detail) + "}";
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
