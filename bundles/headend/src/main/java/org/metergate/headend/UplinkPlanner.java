// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxMessage;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Decides what to publish next from the outbox. Events, receipts and status messages go before readings
 * whenever both wait, so a fresh alarm is not stuck behind a backlog of readings; within each of the two
 * classes messages leave in outbox sequence order, which keeps every meter's messages in order. Readings
 * are packed into batches, sent when full or when the oldest reading in them reached the batch age.
 *
 * <p>Messages stay in the outbox until acknowledged, so the planner remembers the highest sequence it
 * dispatched in each class during one MQTT session and skips what is already in flight. A new session
 * starts again from the oldest message still in the outbox: the head-end may see duplicates (same
 * {@code msgId}), never gaps. Not thread-safe: used by the link thread only.
 */
final class UplinkPlanner {

    static final Set<MessageKind> PRIORITY = EnumSet.of(MessageKind.EVENT, MessageKind.RECEIPT, MessageKind.STATUS);
    static final Set<MessageKind> ROUTINE = EnumSet.of(MessageKind.READING);

    private static final int MAX_FETCH = 1 << 20;

    /** What to do next: publish, or wait (until {@code dueAt} when a partial batch becomes due). */
    record Next(Publication publication, Instant dueAt) {
    }

    private final Outbox outbox;
    private final int batchMax;
    private final Duration batchMaxAge;
    private final LinkLog log;

    private long priorityCursor = Long.MIN_VALUE;
    private long routineCursor = Long.MIN_VALUE;
    private int priorityInFlight;
    private int routineInFlight;

    UplinkPlanner(Outbox outbox, int batchMax, Duration batchMaxAge, LinkLog log) {
        this.outbox = outbox;
        this.batchMax = batchMax;
        this.batchMaxAge = batchMaxAge;
        this.log = log;
    }

    /** Forget what was dispatched: the next session resends everything not yet acknowledged. */
    void reset() {
        priorityCursor = Long.MIN_VALUE;
        routineCursor = Long.MIN_VALUE;
        priorityInFlight = 0;
        routineInFlight = 0;
    }

    /** The outbox rows of {@code p} were deleted; they no longer need to be skipped when reading. */
    void acknowledged(Publication p) {
        if (p.priority()) {
            priorityInFlight = Math.max(0, priorityInFlight - p.outboxIds().size());
        } else {
            routineInFlight = Math.max(0, routineInFlight - p.outboxIds().size());
        }
    }

    Next next(Instant now) throws OutboxException {
        List<OutboxMessage> urgent = fresh(PRIORITY, priorityCursor, priorityInFlight, 1);
        if (!urgent.isEmpty()) {
            Publication p = single(urgent.get(0));
            priorityCursor = p.lastSequence();
            priorityInFlight += p.outboxIds().size();
            return new Next(p, null);
        }
        List<OutboxMessage> readings = fresh(ROUTINE, routineCursor, routineInFlight, batchMax);
        if (readings.isEmpty()) {
            return new Next(null, null);
        }
        if (readings.size() < batchMax) {
            Instant due = readings.get(0).createdAt().plus(batchMaxAge);
            if (now.isBefore(due)) {
                return new Next(null, due);
            }
        }
        Publication p = batch(readings);
        routineCursor = p.lastSequence();
        routineInFlight += p.outboxIds().size();
        return new Next(p, null);
    }

    /** Up to {@code n} messages of {@code kinds} newer than {@code cursor}, oldest first. */
    private List<OutboxMessage> fresh(Set<MessageKind> kinds, long cursor, int inFlightHint, int n)
            throws OutboxException {
        int fetch = inFlightHint + n;
        while (true) {
            List<OutboxMessage> rows = outbox.oldest(kinds, fetch);
            List<OutboxMessage> out = new ArrayList<>(n);
            for (OutboxMessage m : rows) {
                if (m.sequence() > cursor) {
                    out.add(m);
                    if (out.size() == n) {
                        break;
                    }
                }
            }
            // rows all in flight and more may exist behind them: read further
            if (out.size() < n && rows.size() == fetch && fetch < MAX_FETCH) {
                fetch = Math.min(MAX_FETCH, fetch * 2);
                continue;
            }
            return out;
        }
    }

    private Publication single(OutboxMessage m) {
        JsonObject doc = parseObject(m.payload());
        if (doc == null) {
            return malformed(m, true);
        }
        if (!doc.has("schema")) {
            doc.addProperty("schema", defaultSchema(m.kind()));
        }
        if (!doc.has("msgId")) {
            doc.addProperty("msgId", m.msgId());
        }
        if (!doc.has("meter") && m.meterId() != null && m.kind() != MessageKind.STATUS) {
            doc.addProperty("meter", m.meterId());
        }
        String msgId = doc.get("msgId").isJsonPrimitive() ? doc.get("msgId").getAsString() : m.msgId();
        return new Publication(msgId, m.kind().topic(), Payloads.bytes(doc), List.of(m.msgId()), true, m.sequence());
    }

    private Publication batch(List<OutboxMessage> messages) {
        JsonArray readings = new JsonArray();
        List<String> ids = new ArrayList<>();
        long last = Long.MIN_VALUE;
        for (OutboxMessage m : messages) {
            List<JsonObject> parsed = parseReadings(m);
            if (parsed == null) {
                if (ids.isEmpty()) {
                    return malformed(m, false);
                }
                break; // sent alone, first in the next round
            }
            parsed.forEach(readings::add);
            ids.add(m.msgId());
            last = m.sequence();
        }
        String msgId = UUID.nameUUIDFromBytes(("readings|" + String.join(",", ids)).getBytes(StandardCharsets.UTF_8))
                .toString();
        JsonObject doc = Payloads.envelope(Payloads.READINGS, msgId);
        doc.add("readings", readings);
        return new Publication(msgId, MessageKind.READING.topic(), Payloads.bytes(doc), ids, false, last);
    }

    /** Reading objects of one outbox message, each with an id for de-duplication; null when malformed. */
    private static List<JsonObject> parseReadings(OutboxMessage m) {
        JsonElement e;
        try {
            e = JsonParser.parseString(m.payload());
        } catch (JsonParseException ex) {
            return null;
        }
        List<JsonObject> out = new ArrayList<>();
        if (e.isJsonObject()) {
            out.add(withId(e.getAsJsonObject(), m.msgId(), m.meterId()));
        } else if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                if (!a.get(i).isJsonObject()) {
                    return null;
                }
                out.add(withId(a.get(i).getAsJsonObject(), m.msgId() + "/" + i, m.meterId()));
            }
        } else {
            return null;
        }
        return out;
    }

    private static JsonObject withId(JsonObject reading, String id, String meterId) {
        if (!reading.has("id")) {
            reading.addProperty("id", id);
        }
        if (!reading.has("meter") && meterId != null) {
            reading.addProperty("meter", meterId);
        }
        return reading;
    }

    /**
     * A payload that is not the JSON expected cannot go out as is, and dropping it would lose it: it is
     * delivered as an event carrying the original text, so the head-end sees it and the outbox moves on.
     */
    private Publication malformed(OutboxMessage m, boolean priority) {
        log.warn("outbox message " + m.msgId() + " (" + m.kind() + ", meter " + m.meterId()
                + ") is not valid JSON for its kind; sending it to the head-end as a malformed-payload event");
        JsonObject doc = Payloads.envelope(Payloads.EVENTS, m.msgId());
        doc.addProperty("meter", m.meterId());
        doc.addProperty("type", "malformed-payload");
        doc.addProperty("ts", m.createdAt().toString());
        doc.addProperty("detail", "outbox message of kind " + m.kind() + " could not be parsed as JSON");
        doc.addProperty("payload", m.payload());
        return new Publication(m.msgId(), MessageKind.EVENT.topic(), Payloads.bytes(doc), List.of(m.msgId()),
                priority, m.sequence());
    }

    private static JsonObject parseObject(String payload) {
        try {
            JsonElement e = JsonParser.parseString(payload);
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            return null;
        }
    }

    private static String defaultSchema(MessageKind kind) {
        switch (kind) {
            case EVENT: return Payloads.EVENTS;
            case RECEIPT: return Payloads.RECEIPTS;
            case STATUS: return Payloads.STATUS;
            default: return Payloads.READINGS;
        }
    }
}
