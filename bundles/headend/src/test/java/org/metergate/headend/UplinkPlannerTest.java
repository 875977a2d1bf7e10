// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.Retention;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.metergate.testing.MqttContractSchemas;

class UplinkPlannerTest {

    private final MemoryOutbox outbox = new MemoryOutbox();
    private final RecordingLog log = new RecordingLog();
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    static String reading(String meter, int n) {
        return "{\"meter\":\"" + meter + "\",\"obis\":\"1-0:1.8.0*255\",\"value\":" + n
                + ",\"scaler\":0,\"unit\":\"kWh\",\"ts\":\"2026-01-01T00:00:" + String.format("%02d", n % 60)
                + "Z\",\"status\":\"ok\"}";
    }

    private static JsonObject json(Publication p) {
        return JsonParser.parseString(new String(p.payload(), StandardCharsets.UTF_8)).getAsJsonObject();
    }

    @Test
    void eventsAndReceiptsGoBeforeWaitingReadingsButKeepTheirOwnOrder() throws Exception {
        for (int i = 0; i < 5; i++) {
            outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, reading("m1", i), t0);
        }
        OutboxMessage e1 = outbox.append(MessageKind.EVENT, "m1", Retention.ALARM,
                "{\"type\":\"low-credit\",\"ts\":\"2026-01-01T00:00:05Z\"}", t0);
        OutboxMessage r1 = outbox.append(MessageKind.RECEIPT, "m1", Retention.RECEIPT,
                "{\"schema\":\"receipt/v1\",\"token\":\"t1\",\"stage\":\"accepted\",\"ts\":\"2026-01-01T00:00:06Z\"}", t0);
        UplinkPlanner planner = new UplinkPlanner(outbox, 3, 65_536, 16, Duration.ZERO, log);

        List<Publication> out = new ArrayList<>();
        for (Publication p; (p = planner.next(t0).publication()) != null;) {
            out.add(p);
        }

        assertThat(out).extracting(Publication::topicSuffix)
                .containsExactly("events", "credit/receipts", "readings", "readings");
        assertThat(out.get(0).outboxIds()).containsExactly(e1.msgId());
        assertThat(out.get(1).outboxIds()).containsExactly(r1.msgId());
        JsonObject event = json(out.get(0));
        assertThat(event.get("msgId").getAsString()).isEqualTo(e1.msgId());
        assertThat(event.get("schema").getAsString()).isEqualTo("event/v1");
        assertThat(event.get("meter").getAsString()).isEqualTo("m1");
        MqttContractSchemas.assertValid("events.json", new String(out.get(0).payload(), StandardCharsets.UTF_8));
        MqttContractSchemas.assertValid("receipts.json", new String(out.get(1).payload(), StandardCharsets.UTF_8));
        assertThat(json(out.get(2)).getAsJsonArray("readings")).hasSize(3);
        assertThat(json(out.get(3)).getAsJsonArray("readings")).hasSize(2);
        MqttContractSchemas.assertValid("readings.json", new String(out.get(2).payload(), StandardCharsets.UTF_8));
    }

    @Test
    void partialBatchWaitsUntilItsOldestReadingIsOldEnough() throws Exception {
        outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, reading("m1", 1), t0);
        outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, reading("m1", 2), t0.plusSeconds(1));
        UplinkPlanner planner = new UplinkPlanner(outbox, 10, 65_536, 16, Duration.ofSeconds(5), log);

        UplinkPlanner.Next early = planner.next(t0.plusSeconds(2));
        assertThat(early.publication()).isNull();
        assertThat(early.dueAt()).isEqualTo(t0.plusSeconds(5));

        Publication due = planner.next(t0.plusSeconds(5)).publication();
        assertThat(due).isNotNull();
        assertThat(due.outboxIds()).hasSize(2);
    }

    @Test
    void fullBatchGoesAtOnce() throws Exception {
        for (int i = 0; i < 4; i++) {
            outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, reading("m1", i), t0);
        }
        UplinkPlanner planner = new UplinkPlanner(outbox, 4, 65_536, 16, Duration.ofHours(1), log);
        assertThat(planner.next(t0).publication().outboxIds()).hasSize(4);
    }

    @Test
    void arrayPayloadsAreFlattenedWithOneIdPerReading() throws Exception {
        OutboxMessage m = outbox.append(MessageKind.READING, "m7", Retention.ROUTINE,
                "[" + reading("m7", 1) + "," + reading("m7", 2).replace("\"meter\":\"m7\",", "") + "]", t0);
        UplinkPlanner planner = new UplinkPlanner(outbox, 10, 65_536, 16, Duration.ZERO, log);
        Publication p = planner.next(t0).publication();
        var readings = json(p).getAsJsonArray("readings");
        assertThat(readings).hasSize(2);
        assertThat(readings.get(0).getAsJsonObject().get("id").getAsString()).isEqualTo(m.msgId() + "/0");
        assertThat(readings.get(1).getAsJsonObject().get("id").getAsString()).isEqualTo(m.msgId() + "/1");
        assertThat(readings.get(1).getAsJsonObject().get("meter").getAsString()).isEqualTo("m7");
        MqttContractSchemas.assertValid("readings.json", new String(p.payload(), StandardCharsets.UTF_8));
    }

    @Test
    void inFlightMessagesAreSkippedUntilResetThenResentWithTheSameIds() throws Exception {
        for (int i = 0; i < 6; i++) {
            outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, reading("m1", i), t0);
        }
        UplinkPlanner planner = new UplinkPlanner(outbox, 2, 65_536, 16, Duration.ZERO, log);
        Publication first = planner.next(t0).publication();
        Publication second = planner.next(t0).publication();
        assertThat(second.outboxIds()).doesNotContainAnyElementsOf(first.outboxIds());

        outbox.acknowledge(first.outboxIds());
        planner.acknowledged(first);
        planner.reset(); // connection lost: second was never acknowledged

        Publication again = planner.next(t0).publication();
        assertThat(again.outboxIds()).isEqualTo(second.outboxIds());
        assertThat(again.msgId()).isEqualTo(second.msgId());
    }

    @Test
    void findsNewMessagesBehindALargeInFlightBacklog() throws Exception {
        for (int i = 0; i < 50; i++) {
            outbox.append(MessageKind.EVENT, "m1", Retention.ALARM, "{\"type\":\"tamper\",\"ts\":\"2026-01-01T00:00:00Z\"}", t0);
        }
        UplinkPlanner planner = new UplinkPlanner(outbox, 2, 65_536, 16, Duration.ZERO, log);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Publication p = planner.next(t0).publication();
            seen.addAll(p.outboxIds());
            planner.acknowledged(p); // pretend acknowledged although still in the outbox: hint too low
        }
        assertThat(seen).doesNotHaveDuplicates().hasSize(50);
        assertThat(planner.next(t0).publication()).isNull();
    }

    @Test
    void malformedPayloadIsDeliveredAsAnEventInsteadOfBlockingOrBeingDropped() throws Exception {
        outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, reading("m1", 1), t0);
        OutboxMessage bad = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "1.8.0(12*kWh", t0);
        outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, reading("m1", 3), t0);
        UplinkPlanner planner = new UplinkPlanner(outbox, 10, 65_536, 16, Duration.ZERO, log);

        Publication p1 = planner.next(t0).publication();
        Publication p2 = planner.next(t0).publication();
        Publication p3 = planner.next(t0).publication();

        assertThat(p1.topicSuffix()).isEqualTo("readings");
        assertThat(p1.outboxIds()).hasSize(1);
        assertThat(p2.topicSuffix()).isEqualTo("events");
        assertThat(p2.outboxIds()).containsExactly(bad.msgId());
        JsonObject event = json(p2);
        assertThat(event.get("type").getAsString()).isEqualTo("malformed-payload");
        assertThat(event.get("payload").getAsString()).isEqualTo("1.8.0(12*kWh");
        MqttContractSchemas.assertValid("events.json", new String(p2.payload(), StandardCharsets.UTF_8));
        assertThat(p3.topicSuffix()).isEqualTo("readings");
        assertThat(log.contains("WARN", bad.msgId())).isTrue();
    }

    /** The documents bundles/metering writes (UplinkMessages): kept as they are, completed, and valid. */
    @Test
    void meteringPayloadsKeepTheirIdsAndValidate() throws Exception {
        outbox.append(MessageKind.READING, "m1", Retention.ROUTINE,
                "[{\"id\":\"m1|1-0:1.8.0*255|2026-03-01T12:00:00Z\",\"meter\":\"m1\",\"obis\":\"1-0:1.8.0*255\","
                        + "\"value\":1234.567,\"scaler\":0,\"unit\":\"kWh\",\"ts\":\"2026-03-01T12:00:00Z\",\"status\":\"ok\"},"
                        + "{\"id\":\"m1|0-0:96.1.0*255|2026-03-01T12:00:00Z\",\"meter\":\"m1\",\"obis\":\"0-0:96.1.0*255\","
                        + "\"value\":\"12345678\",\"scaler\":0,\"unit\":\"\",\"ts\":\"2026-03-01T12:00:00Z\",\"status\":\"clock-uncertain\"}]",
                t0);
        OutboxMessage e = outbox.append(MessageKind.EVENT, "m1", Retention.ALARM,
                "{\"schema\":\"event/v1\",\"id\":\"m1|meter-unreachable|2026-03-01T12:00:00Z\",\"meter\":\"m1\","
                        + "\"type\":\"meter-unreachable\",\"ts\":\"2026-03-01T12:00:00Z\","
                        + "\"detail\":\"no answer from meter on /dev/ttyUSB0 at 300 baud\"}",
                t0);
        UplinkPlanner planner = new UplinkPlanner(outbox, 10, 65_536, 16, Duration.ZERO, log);

        Publication event = planner.next(t0).publication();
        Publication readings = planner.next(t0).publication();

        MqttContractSchemas.assertValid("events.json", new String(event.payload(), StandardCharsets.UTF_8));
        assertThat(json(event).get("msgId").getAsString()).isEqualTo(e.msgId());
        MqttContractSchemas.assertValid("readings.json", new String(readings.payload(), StandardCharsets.UTF_8));
        assertThat(json(readings).getAsJsonArray("readings").get(0).getAsJsonObject().get("id").getAsString())
                .isEqualTo("m1|1-0:1.8.0*255|2026-03-01T12:00:00Z");
        assertThat(json(readings).getAsJsonArray("readings").get(0).getAsJsonObject().get("value").getAsBigDecimal())
                .isEqualByComparingTo("1234.567");
    }

    /** One readout as the metering bundle stores it: an array of {@code n} readings with their ids. */
    static String readout(String meter, int number, int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\":\"").append(meter).append('|').append(number).append('|')
                    .append(i).append("\",\"meter\":\"").append(meter).append("\",\"obis\":\"1-0:").append(i + 1)
                    .append(".8.0*255\",\"value\":").append(number * 100 + i).append(",\"scaler\":0,\"unit\":\"kWh\","
                    + "\"ts\":\"2026-01-01T00:00:00Z\",\"status\":\"ok\"}");
        }
        return b.append(']').toString();
    }

    /** Plans like the link: at most {@code window} publications in flight, the oldest acknowledged first. */
    private List<Publication> drain(UplinkPlanner planner, int window) throws Exception {
        List<Publication> out = new ArrayList<>();
        Deque<Publication> inFlight = new ArrayDeque<>();
        while (true) {
            if (inFlight.size() == window) {
                acknowledge(planner, inFlight.removeFirst());
            }
            Publication p = planner.next(t0).publication();
            if (p == null) {
                if (inFlight.isEmpty()) {
                    return out;
                }
                acknowledge(planner, inFlight.removeFirst());
                continue;
            }
            out.add(p);
            inFlight.addLast(p);
        }
    }

    private void acknowledge(UplinkPlanner planner, Publication p) {
        outbox.acknowledge(p.outboxIds());
        planner.acknowledged(p);
    }

    private static List<Integer> values(List<Publication> publications) {
        List<Integer> values = new ArrayList<>();
        for (Publication p : publications) {
            json(p).getAsJsonArray("readings").forEach(r -> values.add(r.getAsJsonObject().get("value").getAsInt()));
        }
        return values;
    }

    @Test
    void aLargeBacklogOfBigReadoutsNeverMakesAMessageOverTheByteLimit() throws Exception {
        for (int n = 0; n < 600; n++) {
            outbox.append(MessageKind.READING, "m" + (n % 20), Retention.ROUTINE, readout("m" + (n % 20), n, 10), t0);
        }
        int limit = 16 * 1024;
        UplinkPlanner planner = new UplinkPlanner(outbox, 500, limit, 16, Duration.ZERO, log);

        List<Publication> out = drain(planner, 16);

        assertThat(out).allSatisfy(p -> assertThat(p.payload().length).isLessThanOrEqualTo(limit));
        assertThat(out).allSatisfy(p -> assertThat(json(p).getAsJsonArray("readings").size()).isLessThanOrEqualTo(500));
        List<Integer> values = values(out);
        assertThat(values).hasSize(6000).isSorted();
        assertThat(outbox.size()).isZero();
        MqttContractSchemas.assertValid("readings.json", new String(out.get(0).payload(), StandardCharsets.UTF_8));
    }

    @Test
    void theReadingLimitCountsReadingsNotOutboxMessages() throws Exception {
        for (int n = 0; n < 10; n++) {
            outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, readout("m1", n, 16), t0);
        }
        UplinkPlanner planner = new UplinkPlanner(outbox, 40, 1 << 20, 16, Duration.ZERO, log);

        List<Publication> out = drain(planner, 16);

        assertThat(out).extracting(p -> json(p).getAsJsonArray("readings").size()).containsOnly(32);
        assertThat(values(out)).hasSize(160).isSorted();
    }

    @Test
    void aMessageOverALimitGoesAloneAndTheOthersAroundItAreNotHeldBack() throws Exception {
        OutboxMessage small1 = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, readout("m1", 1, 2), t0);
        OutboxMessage huge = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, readout("m1", 2, 100), t0);
        OutboxMessage small2 = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, readout("m1", 3, 2), t0);
        OutboxMessage many = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, readout("m1", 4, 60), t0);
        UplinkPlanner planner = new UplinkPlanner(outbox, 50, 4096, 16, Duration.ofHours(1), log);
        assertThat(readout("m1", 2, 100).length()).isGreaterThan(4096);
        assertThat(readout("m1", 4, 60).length()).isGreaterThan(4096);

        List<Publication> out = drain(planner, 16);

        assertThat(out).extracting(Publication::outboxIds).containsExactly(List.of(small1.msgId()),
                List.of(huge.msgId()), List.of(small2.msgId()), List.of(many.msgId()));
        assertThat(json(out.get(1)).getAsJsonArray("readings")).hasSize(100);
        assertThat(json(out.get(3)).getAsJsonArray("readings")).hasSize(60);
        assertThat(values(out)).hasSize(164).isSorted();
        MqttContractSchemas.assertValid("readings.json", new String(out.get(1).payload(), StandardCharsets.UTF_8));
    }

    @Test
    void readsEachWaitingMessageAboutTwiceNotOncePerBatchInFlight() throws Exception {
        int backlog = 5000;
        for (int i = 0; i < backlog; i++) {
            outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, reading("m1", i), t0);
        }
        int batch = 50;
        int window = 16;
        UplinkPlanner planner = new UplinkPlanner(outbox, batch, 1 << 20, window, Duration.ZERO, log);

        List<Publication> out = drain(planner, window);

        assertThat(values(out)).hasSize(backlog).isSorted();
        assertThat(out).hasSize(backlog / batch);
        // in flight (up to window x batch rows, every read returns them first) plus as many read ahead
        assertThat(outbox.largestRead()).isLessThanOrEqualTo(2 * window * batch + batch);
        // each row about twice (once ahead, once more behind the rows in flight), plus the rows in flight read again
        // once per publication while the last ones wait for their PUBACK; reading in-flight + batch rows for every
        // batch would be more than 80,000 here
        assertThat(outbox.rowsRead()).isLessThanOrEqualTo(2L * backlog + (long) window * window * batch);
    }

    @Test
    void aFreshAlarmStillOvertakesReadingsAlreadyReadAhead() throws Exception {
        for (int i = 0; i < 100; i++) {
            outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, reading("m1", i), t0);
        }
        UplinkPlanner planner = new UplinkPlanner(outbox, 10, 1 << 20, 4, Duration.ZERO, log);
        Publication first = planner.next(t0).publication();
        OutboxMessage alarm = outbox.append(MessageKind.EVENT, "m1", Retention.ALARM,
                "{\"type\":\"tamper\",\"ts\":\"2026-01-01T00:00:00Z\"}", t0);

        Publication second = planner.next(t0).publication();

        assertThat(first.topicSuffix()).isEqualTo("readings");
        assertThat(second.outboxIds()).containsExactly(alarm.msgId());
        List<Publication> rest = new ArrayList<>(List.of(first));
        for (Publication p; (p = planner.next(t0).publication()) != null;) {
            rest.add(p);
        }
        assertThat(values(rest)).hasSize(100).isSorted();
    }

}
