// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * What the head-end has received, per gateway and topic: inflates compressed payloads (up to a size limit),
 * drops repeated messages (same gateway and {@code msgId}) and repeated readings (same reading {@code id},
 * however the batches were cut), keeps the daily/v1 documents of a batch apart from its readings, checks
 * that each meter's readings arrive in the order they were taken, and lets tests wait for results.
 * A payload that cannot be read is kept as a rejected observation with the reason.
 * Thread-safe; waiting methods wake on every accepted message.
 */
final class MessageLedger {

    /** Kept in memory for queries; older observations are forgotten (counts stay exact). */
    private static final int MAX_OBSERVATIONS = 100_000;
    private static final String TOPIC_ROOT = "mg/v1/";

    private final Deque<Observation> observations = new ArrayDeque<>();
    private final Set<String> seenMessages = new HashSet<>();
    private final Set<String> seenReadings = new HashSet<>();
    private final Map<String, List<JsonObject>> readingsByMeter = new HashMap<>();
    private final Set<String> seenDaily = new HashSet<>();
    private final Map<String, List<JsonObject>> dailyByMeter = new HashMap<>();
    private final Deque<Observation> rejected = new ArrayDeque<>();
    private final int maxInflatedBytes;
    private final Map<String, Instant> latestReadingTs = new HashMap<>();
    private final Map<String, JsonObject> statusByGateway = new TreeMap<>();
    private final Map<String, Long> counts = new TreeMap<>();
    private final List<OrderingViolation> violations = new ArrayList<>();
    private long duplicatesDropped;
    private long duplicateReadingsDropped;
    private long foreignTopics;

    MessageLedger() {
        this(ContentDecoding.MAX_INFLATED_BYTES);
    }

    /** @param maxInflatedBytes the largest document a compressed payload may inflate to */
    MessageLedger(int maxInflatedBytes) {
        this.maxInflatedBytes = maxInflatedBytes;
    }

    /**
     * Records a message as received on {@code topic}; returns it as an observation, or empty if it was a
     * duplicate or not under {@code mg/v1/<gateway>/}.
     */
    synchronized Optional<Observation> accept(String topic, byte[] payload, boolean retained) {
        return accept(topic, payload, retained, null);
    }

    /**
     * As {@link #accept(String, byte[], boolean)} for a payload in {@code contentEncoding} (the MQTT 5 user
     * property {@value ContentDecoding#PROPERTY}, null for plain JSON), inflated before de-duplication. A payload
     * that does not inflate within the limit is returned as an observation with the reason in
     * {@link Observation#rejected()}, counted apart, never thrown.
     */
    synchronized Optional<Observation> accept(String topic, byte[] payload, boolean retained, String contentEncoding) {
        if (!topic.startsWith(TOPIC_ROOT) || topic.indexOf('/', TOPIC_ROOT.length()) < 0) {
            foreignTopics++;
            return Optional.empty();
        }
        int slash = topic.indexOf('/', TOPIC_ROOT.length());
        String gateway = topic.substring(TOPIC_ROOT.length(), slash);
        String sub = topic.substring(slash + 1);
        byte[] document;
        try {
            document = ContentDecoding.decode(contentEncoding, payload, maxInflatedBytes);
        } catch (ContentDecoding.UndecodablePayload e) {
            Observation o = new Observation(gateway, sub, null, "", retained, Instant.now(), e.getMessage());
            rejected.add(o);
            if (rejected.size() > MAX_OBSERVATIONS) {
                rejected.removeFirst();
            }
            notifyAll();
            return Optional.of(o);
        }
        String raw = new String(document, StandardCharsets.UTF_8);
        Observation o = new Observation(gateway, sub, parseObject(raw), raw, retained, Instant.now());
        String msgId = o.msgId();
        if (msgId != null && !seenMessages.add(gateway + '\n' + msgId)) {
            duplicatesDropped++;
            return Optional.empty();
        }
        counts.merge(gateway + "/" + sub, 1L, Long::sum);
        observations.addLast(o);
        if (observations.size() > MAX_OBSERVATIONS) {
            observations.removeFirst();
        }
        if (o.payload() != null) {
            if (sub.equals("readings")) {
                recordReadings(gateway, o.payload(), msgId);
            } else if (sub.equals("status")) {
                statusByGateway.put(gateway, o.payload());
            }
        }
        notifyAll();
        return Optional.of(o);
    }

    private void recordReadings(String gateway, JsonObject batch, String msgId) {
        JsonElement list = batch.get("readings");
        if (list == null || !list.isJsonArray()) {
            return;
        }
        int index = 0;
        for (JsonElement e : list.getAsJsonArray()) {
            if (!e.isJsonObject()) {
                index++;
                continue;
            }
            JsonObject r = e.getAsJsonObject();
            String meter = text(r, "meter", "?");
            String id = text(r, "id", msgId + "/" + index);
            index++;
            String schema = text(r, "schema", null);
            if (schema != null) {
                // not a reading: daily/v1 values are kept apart, elements of an unknown schema are left out
                if (schema.equals(Observation.DAILY) && seenDaily.add(gateway + '\n' + id)) {
                    dailyByMeter.computeIfAbsent(gateway + '\n' + meter, k -> new ArrayList<>()).add(r);
                }
                continue;
            }
            if (!seenReadings.add(gateway + '\n' + id)) {
                duplicateReadingsDropped++;
                continue;
            }
            String key = gateway + '\n' + meter;
            readingsByMeter.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            Instant ts = instant(text(r, "ts", null));
            if (ts != null) {
                Instant previous = latestReadingTs.get(key);
                if (previous != null && ts.isBefore(previous)) {
                    violations.add(new OrderingViolation(gateway, meter, id, ts.toString(), previous.toString()));
                } else {
                    latestReadingTs.put(key, ts);
                }
            }
        }
    }

    synchronized List<Observation> observations() {
        return new ArrayList<>(observations);
    }

    synchronized List<Observation> observations(String gateway, String topic) {
        return observations.stream().filter(o -> o.gateway().equals(gateway) && o.topic().equals(topic)).toList();
    }

    synchronized List<JsonObject> readings(String gateway, String meter) {
        return new ArrayList<>(readingsByMeter.getOrDefault(gateway + '\n' + meter, List.of()));
    }

    /** The daily/v1 documents of one meter, de-duplicated by id, in arrival order. */
    synchronized List<JsonObject> dailyValues(String gateway, String meter) {
        return new ArrayList<>(dailyByMeter.getOrDefault(gateway + '\n' + meter, List.of()));
    }

    /** Messages whose payload could not be read (the last 100,000), each with the reason. */
    synchronized List<Observation> rejected() {
        return new ArrayList<>(rejected);
    }

    synchronized Optional<JsonObject> statusOf(String gateway) {
        return Optional.ofNullable(statusByGateway.get(gateway));
    }

    synchronized Set<String> gateways() {
        Set<String> g = new java.util.TreeSet<>();
        observations.forEach(o -> g.add(o.gateway()));
        g.addAll(statusByGateway.keySet());
        return g;
    }

    synchronized long duplicatesDropped() {
        return duplicatesDropped;
    }

    synchronized long duplicateReadingsDropped() {
        return duplicateReadingsDropped;
    }

    synchronized long foreignTopics() {
        return foreignTopics;
    }

    synchronized List<OrderingViolation> orderingViolations() {
        return new ArrayList<>(violations);
    }

    /** Accepted messages per {@code gateway/topic}. */
    synchronized Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }

    /** Waits until {@code value} returns something {@code done} accepts; fails with {@code what} on timeout. */
    synchronized <T> T await(Supplier<T> value, Predicate<T> done, Duration timeout, Supplier<String> what)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        T v = value.get();
        while (!done.test(v)) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
            }
            wait(Math.max(1, left / 1_000_000));
            v = value.get();
        }
        return v;
    }

    private static JsonObject parseObject(String raw) {
        try {
            JsonElement e = JsonParser.parseString(raw);
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException | IllegalStateException e) {
            return null;
        }
    }

    private static String text(JsonObject o, String field, String fallback) {
        JsonElement e = o.get(field);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : fallback;
    }

    private static Instant instant(String ts) {
        if (ts == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(ts).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
