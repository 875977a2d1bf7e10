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
 * are packed into batches bounded by readings and by payload bytes (an outbox message is never split, so
 * one over a limit goes alone), sent when full or when the oldest reading in them reached the batch age.
 *
 * <p>Messages stay in the outbox until acknowledged, and the outbox can only be read from its oldest
 * message on, so each read returns the messages in flight again. The planner therefore reads ahead: one
 * read brings about as many new messages as the in-flight window holds (sized from the messages it last
 * read, at most {@code window} batches' worth of bytes and rows), and batches are cut from those until they
 * run out. A new session starts again from the oldest message still in the outbox: the head-end may see
 * duplicates (same {@code msgId}), never gaps. Not thread-safe: used by the link thread only.
 *
 * <p>With compression, a batch goes out gzipped once it is cut: the byte limit applies to the JSON document,
 * so memory stays bounded whatever the compression ratio. Events, receipts and status always go plain.
 */
final class UplinkPlanner {

    static final Set<MessageKind> PRIORITY = EnumSet.of(MessageKind.EVENT, MessageKind.RECEIPT, MessageKind.STATUS);
    static final Set<MessageKind> ROUTINE = EnumSet.of(MessageKind.READING);

    /** Rows one read may ask for when the in-flight count turns out too low (it is exact in the link). */
    private static final int MAX_FETCH = 1 << 16;
    private static final String ANY_MSG_ID = new UUID(0, 0).toString();

    /** What to do next: publish, or wait (until {@code dueAt} when a partial batch becomes due). */
    record Next(Publication publication, Instant dueAt) {
    }

    /** The readings of one outbox message as JSON array elements without the brackets. */
    private record Fragment(String json, int readings, int bytes) {
    }

    private final Outbox outbox;
    private final int batchMaxReadings;
    private final int batchMaxBytes;
    private final Duration batchMaxAge;
    private final LinkLog log;
    private final ReadingsCompression compression;
    private final int envelopeBytes;
    private final Lane priority;
    private final Lane routine;

    /** A planner that sends readings batches as plain JSON. */
    UplinkPlanner(Outbox outbox, int batchMaxReadings, int batchMaxBytes, int window, Duration batchMaxAge,
            LinkLog log) {
        this(outbox, batchMaxReadings, batchMaxBytes, window, batchMaxAge, log, null);
    }

    /**
     * @param window publications in flight at once; sizes how far the planner reads ahead
     * @param compression gzips readings batches, or null to send them as plain JSON
     */
    UplinkPlanner(Outbox outbox, int batchMaxReadings, int batchMaxBytes, int window, Duration batchMaxAge,
            LinkLog log, ReadingsCompression compression) {
        this.outbox = outbox;
        this.compression = compression;
        this.batchMaxReadings = batchMaxReadings;
        this.batchMaxBytes = batchMaxBytes;
        this.batchMaxAge = batchMaxAge;
        this.log = log;
        this.envelopeBytes = utf8Length(emptyBatch(ANY_MSG_ID));
        this.priority = new Lane(PRIORITY, window, (long) window * batchMaxBytes);
        this.routine = new Lane(ROUTINE, window * batchMaxReadings, (long) window * batchMaxBytes);
    }

    /** Forget what was dispatched: the next session resends everything not yet acknowledged. */
    void reset() {
        priority.reset();
        routine.reset();
    }

    /** Frees what compression holds; called by the link thread when it ends. */
    void release() {
        if (compression != null) {
            compression.release();
        }
    }

    /** The outbox rows of {@code p} were deleted; they no longer need to be skipped when reading. */
    void acknowledged(Publication p) {
        (p.priority() ? priority : routine).acknowledged(p.outboxIds().size());
    }

    Next next(Instant now) throws OutboxException {
        OutboxMessage urgent = priority.row(0);
        if (urgent != null) {
            Publication p = single(urgent);
            priority.planned(1);
            return new Next(p, null);
        }
        return nextBatch(now);
    }

    private Next nextBatch(Instant now) throws OutboxException {
        List<OutboxMessage> rows = new ArrayList<>();
        List<Fragment> fragments = new ArrayList<>();
        int readings = 0;
        long bytes = envelopeBytes;
        boolean full = false;
        for (OutboxMessage m; (m = routine.row(rows.size())) != null;) {
            Fragment f = render(m);
            if (f == null) {
                if (rows.isEmpty()) {
                    Publication p = malformed(m, false);
                    routine.planned(1);
                    return new Next(p, null);
                }
                full = true; // sent alone, first in the next round
                break;
            }
            int counted = Math.max(1, f.readings());
            long added = f.bytes() + (fragments.isEmpty() || f.bytes() == 0 ? 0 : 1);
            if (!rows.isEmpty() && (readings + counted > batchMaxReadings || bytes + added > batchMaxBytes)) {
                full = true;
                break;
            }
            rows.add(m);
            fragments.add(f);
            readings += counted;
            bytes += added;
            if (readings >= batchMaxReadings || bytes >= batchMaxBytes) {
                full = true;
                break;
            }
        }
        if (rows.isEmpty()) {
            return new Next(null, null);
        }
        if (!full) {
            Instant due = rows.get(0).createdAt().plus(batchMaxAge);
            if (now.isBefore(due)) {
                return new Next(null, due);
            }
        }
        Publication p = batch(rows, fragments, (int) Math.min(bytes, Integer.MAX_VALUE - 8));
        routine.planned(rows.size());
        return new Next(p, null);
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

    /** The batch document written straight from the rendered readings, without a tree of all of them. */
    private Publication batch(List<OutboxMessage> rows, List<Fragment> fragments, int bytes) {
        List<String> ids = new ArrayList<>(rows.size());
        rows.forEach(m -> ids.add(m.msgId()));
        String msgId = UUID.nameUUIDFromBytes(("readings|" + String.join(",", ids)).getBytes(StandardCharsets.UTF_8))
                .toString();
        String shell = emptyBatch(msgId);
        int open = shell.lastIndexOf("[]") + 1;
        StringBuilder b = new StringBuilder(bytes);
        b.append(shell, 0, open);
        boolean first = true;
        for (Fragment f : fragments) {
            if (f.json().isEmpty()) {
                continue;
            }
            if (!first) {
                b.append(',');
            }
            b.append(f.json());
            first = false;
        }
        b.append(shell, open, shell.length());
        byte[] json = b.toString().getBytes(StandardCharsets.UTF_8);
        long last = rows.get(rows.size() - 1).sequence();
        // a lone readout beyond what a head-end inflates goes plain: the contract's cap holds for every gzip payload
        if (compression != null && ReadingsCompression.fits(json.length)) {
            return new Publication(msgId, MessageKind.READING.topic(), compression.gzip(json), ids, false, last,
                    ReadingsCompression.GZIP);
        }
        return new Publication(msgId, MessageKind.READING.topic(), json, ids, false, last);
    }

    private static String emptyBatch(String msgId) {
        JsonObject doc = Payloads.envelope(Payloads.READINGS, msgId);
        doc.add("readings", new JsonArray());
        return Payloads.text(doc);
    }

    /** The readings of one outbox message, each with an id for de-duplication; null when malformed. */
    private static Fragment render(OutboxMessage m) {
        List<JsonObject> readings = parseReadings(m);
        if (readings == null) {
            return null;
        }
        JsonArray a = new JsonArray(readings.size());
        readings.forEach(a::add);
        String text = Payloads.text(a);
        String inner = text.substring(1, text.length() - 1);
        return new Fragment(inner, readings.size(), utf8Length(inner));
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

    static int utf8Length(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * One class of messages: how far this session has planned, how many planned rows still wait for their
     * PUBACK (the rows every read returns first and skips), and the rows read ahead but not planned yet.
     */
    private final class Lane {

        private final Set<MessageKind> kinds;
        private final int maxAheadRows;
        private final long aheadBudgetChars;
        private final List<OutboxMessage> ahead = new ArrayList<>();
        private long cursor = Long.MIN_VALUE;
        private int inFlight;
        /** Average payload size of the rows last read; unknown (0) until the first read. */
        private long averageRowChars;

        Lane(Set<MessageKind> kinds, int maxAheadRows, long aheadBudgetChars) {
            this.kinds = kinds;
            this.maxAheadRows = Math.max(1, maxAheadRows);
            this.aheadBudgetChars = aheadBudgetChars;
        }

        void reset() {
            ahead.clear();
            cursor = Long.MIN_VALUE;
            inFlight = 0;
        }

        void acknowledged(int rows) {
            inFlight = Math.max(0, inFlight - rows);
        }

        /** The {@code i}-th row not planned yet, reading ahead when needed; null when the outbox has no more. */
        OutboxMessage row(int i) throws OutboxException {
            while (i >= ahead.size()) {
                if (!readAhead(i + 1)) {
                    return null;
                }
            }
            return ahead.get(i);
        }

        /** The first {@code n} rows read ahead were planned: they are in flight from now on. */
        void planned(int n) {
            cursor = ahead.get(n - 1).sequence();
            inFlight += n;
            ahead.subList(0, n).clear();
        }

        /** Reads until at least {@code needed} rows wait ahead, or the outbox has no more; true if rows were added. */
        private boolean readAhead(int needed) throws OutboxException {
            int target = Math.max(needed, aheadRows());
            int fetch = (int) Math.min(MAX_FETCH, (long) inFlight + target);
            while (true) {
                List<OutboxMessage> rows = outbox.oldest(kinds, fetch);
                long after = ahead.isEmpty() ? cursor : ahead.get(ahead.size() - 1).sequence();
                int added = 0;
                long chars = 0;
                for (OutboxMessage m : rows) {
                    chars += m.payload().length();
                    if (m.sequence() > after && ahead.size() < target) {
                        ahead.add(m);
                        added++;
                    }
                }
                if (!rows.isEmpty()) {
                    averageRowChars = Math.max(1, chars / rows.size());
                }
                // every row returned is already planned or read ahead and more may exist behind them
                if (added == 0 && rows.size() == fetch && fetch < MAX_FETCH) {
                    fetch = (int) Math.min(MAX_FETCH, fetch * 2L);
                    continue;
                }
                return added > 0;
            }
        }

        /** Rows to hold ahead: the window's worth of bytes at the size of the rows last read, one per slot at first. */
        private int aheadRows() {
            if (averageRowChars == 0) {
                return Math.min(maxAheadRows, 16);
            }
            return (int) Math.max(1, Math.min(maxAheadRows, aheadBudgetChars / averageRowChars));
        }
    }
}
