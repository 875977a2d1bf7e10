// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.metergate.api.cosem.CosemAccessException;
import org.metergate.api.cosem.CosemData;
import org.metergate.api.cosem.CosemDateTime;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.cosem.SelectiveAccess;
import org.metergate.api.meter.MeterException;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.Retention;
import org.metergate.api.state.MeterStateStore;
import org.metergate.api.state.PendingMessage;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Forwards the meter's credit and relay events from its standard event log (IC 7 {@code 0-0:99.98.0.255}) to the
 * outbox as {@code event/v1} alarms. The time of the last forwarded entry and how many entries carried that
 * second are stored with the events in one transaction ({@link MeterStateStore#appendWithState}), so each entry
 * goes out once, across restarts, and nothing is skipped when several share a second.
 */
final class MeterEvents {

    static final String CURSOR = "prepay.events.cursor";
    static final String SEEN_AT_CURSOR = "prepay.events.seen";
    /** How far back a meter seen for the first time is read. */
    static final Duration FIRST_LOOK_BACK = Duration.ofDays(1);

    /** Event codes of the meter's standard event log and the event/v1 type each becomes. */
    static final Map<Integer, String> TYPES = Map.ofEntries(
            Map.entry(60, "low-credit"),
            Map.entry(61, "credit-exhausted"),
            Map.entry(70, "disconnected"), // remote disconnection
            Map.entry(73, "disconnected"), // local: credit exhausted, outside the friendly-credit period
            Map.entry(76, "disconnected"), // the customer's button
            Map.entry(71, "reconnected"), // remote reconnection
            Map.entry(74, "reconnected"), // local: credit back
            Map.entry(75, "reconnected")); // the customer's button

    private static final Map<Integer, String> HOW = Map.of(70, "remote disconnection", 73, "disconnected by the meter",
            76, "disconnected with the meter's button", 71, "remote reconnection", 74, "reconnected by the meter",
            75, "reconnected with the meter's button", 60, "available credit fell below the low-credit threshold",
            61, "credit exhausted");

    private final Supplier<MeterStateStore> states;
    private final Clock clock;
    private final PrepayLog log;

    MeterEvents(Supplier<MeterStateStore> states, Clock clock, PrepayLog log) {
        this.states = states;
        this.clock = clock;
        this.log = log;
    }

    /** False while there is no meter-state store to keep the cursor in: then nothing is read. */
    boolean active() {
        return states.get() != null;
    }

    /**
     * Reads the event log since the stored cursor and queues the credit and relay events found.
     *
     * @return how many events were queued
     */
    int forward(String meterId, CosemSession session) throws MeterException {
        MeterStateStore store = states.get();
        if (store == null) {
            return 0;
        }
        try {
            Map<String, String> state = store.state(meterId);
            Instant cursor = instant(state.get(CURSOR));
            int seen = cursor == null ? 0 : parseInt(state.get(SEEN_AT_CURSOR));
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Instant meterNow = meterTime(session).orElse(now);
            Instant from = cursor != null ? cursor : meterNow.minus(FIRST_LOOK_BACK);
            if (from.isAfter(meterNow)) {
                return 0;
            }
            CosemData buffer;
            try {
                buffer = session.get(CosemObjects.EVENT_LOG_BUFFER, SelectiveAccess.byClock(from, meterNow));
            } catch (CosemAccessException e) {
                log.info("event log of meter " + meterId + " cannot be read (" + e.getMessage()
                        + "); its credit and relay events are not forwarded");
                return 0;
            }
            List<PendingMessage> events = new ArrayList<>();
            Instant last = cursor;
            int lastCount = seen;
            int skip = seen;
            for (CosemData entry : entries(buffer)) {
                Optional<Instant> at = entryTime(entry);
                if (at.isEmpty() || (cursor != null && at.get().isBefore(cursor))) {
                    continue;
                }
                if (cursor != null && at.get().equals(cursor) && skip > 0) {
                    skip--;
                    continue;
                }
                if (at.get().equals(last)) {
                    lastCount++;
                } else {
                    last = at.get();
                    lastCount = 1;
                }
                int code = code(entry);
                String type = TYPES.get(code);
                if (type != null) {
                    events.add(new PendingMessage(MessageKind.EVENT, Retention.ALARM,
                            json(meterId, type, code, at.get(), lastCount)));
                }
            }
            if (last == null || (last.equals(cursor) && lastCount == seen)) {
                if (cursor == null) {
                    // nothing in the log yet: start from here next time
                    store.appendWithState(meterId, List.of(), Map.of(CURSOR, from.toString(), SEEN_AT_CURSOR, "0"));
                }
                return 0;
            }
            store.appendWithState(meterId, events, Map.of(CURSOR, last.toString(),
                    SEEN_AT_CURSOR, Integer.toString(lastCount)));
            return events.size();
        } catch (OutboxException e) {
            log.warn("events of meter " + meterId + " not queued, they are read again next time: " + e.getMessage(),
                    null);
            return 0;
        }
    }

    private static Optional<Instant> meterTime(CosemSession session) throws MeterException {
        try {
            return CosemDateTime.decode(session.get(SelectiveAccess.CLOCK_TIME)).map(t -> t.toInstant()
                    .truncatedTo(ChronoUnit.SECONDS));
        } catch (CosemAccessException e) {
            return Optional.empty();
        }
    }

    private static List<CosemData> entries(CosemData buffer) {
        if (buffer instanceof CosemData.ArrayData a) {
            return a.elements();
        }
        return List.of();
    }

    private static Optional<Instant> entryTime(CosemData entry) {
        if (entry instanceof CosemData.Structure s && s.elements().size() >= 2) {
            return CosemDateTime.decode(s.get(0)).map(t -> t.toInstant());
        }
        return Optional.empty();
    }

    private static int code(CosemData entry) {
        try {
            return (int) ((CosemData.Structure) entry).get(1).asLong();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * An event/v1 document (docs/mqtt-contract/schemas/credit-event.json); the link adds msgId.
     *
     * @param ordinal the entry's place among the log entries of its second (1 = first), so every entry has its
     *                own id, the same each time it is read
     */
    static String json(String meterId, String type, int code, Instant at, int ordinal) {
        String id = meterId + "|" + type + "|" + at;
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("schema", "event/v1");
        o.put("id", ordinal == 1 ? id : id + "|" + ordinal);
        o.put("meter", meterId);
        o.put("type", type);
        o.put("ts", at.toString());
        o.put("detail", HOW.getOrDefault(code, type) + " (meter event " + code + ")");
        o.put("eventCode", code);
        return JSONObjectUtils.toJSONString(o);
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int parseInt(String text) {
        try {
            return text == null ? 0 : Math.max(0, Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
