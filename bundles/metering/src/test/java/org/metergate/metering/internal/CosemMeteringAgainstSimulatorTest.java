// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterState;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.Retention;
import org.metergate.dlms.embedded.DlmsDrivers;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.SimClock;
import org.metergate.store.embedded.EmbeddedStore;
import org.metergate.store.embedded.Stores;
import org.metergate.testing.MqttContractSchemas;

/**
 * Metering with the real DLMS driver against the DLMS simulator and the real SQLite store: load-profile catch-up
 * across an outage and a gateway restart, the clock check and daily values. Simulated time is frozen and only
 * moves when a test advances it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CosemMeteringAgainstSimulatorTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:07:00Z");
    private static final Duration CAPTURE = Duration.ofMinutes(15);
    private static final Pattern PROFILE_IMPORT = Pattern.compile(
            "\"obis\":\"1-0:1\\.8\\.0\\*255\",\"value\":(\\d+),[^}]*\"ts\":\"([^\"]+)\",\"status\":\"([a-z-]+)\"");
    private static final Pattern READING_TS = Pattern.compile("\"ts\":\"([^\"]+)\"");
    private static final Pattern DAILY = Pattern.compile("\"day\":\"([0-9-]+)\".*\"consumption\":(null|\\{[^}]*\"value\":(-?\\d+))");

    @TempDir
    Path dir;

    private DlmsSimulator sim;
    private DlmsMeter simMeter;
    private EmbeddedStore store;
    private volatile Duration gatewayAhead = Duration.ZERO;
    private final MeterPoller.Listener quiet = new MeterPoller.Listener() {
        @Override
        public void readout(MeterReadout readout) {
        }

        @Override
        public void failure(String meterId, MeterException failure, MeterState state) {
        }
    };

    /** The gateway's clock: the simulated time plus {@link #gatewayAhead}. */
    private final Clock gatewayClock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return sim.clock().now().plus(gatewayAhead);
        }
    };

    @BeforeEach
    void start() throws Exception {
        sim = DlmsSimulator.builder().count(1).seed(7).stateDir(dir.resolve("sim")).clock(SimClock.frozenAt(T0))
                .start();
        simMeter = sim.meters().get(0);
        store = Stores.sqlite(dir.resolve("metergate.db"));
    }

    @AfterEach
    void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private CosemMeter driver() {
        return DlmsDrivers.tcp("m1", simMeter.wrapperPort(), simMeter.config().authenticationKey(),
                simMeter.config().encryptionKey(), dir.resolve("data"));
    }

    private MeterPoller poller(CosemMeter meter) {
        return new MeterPoller(meter, store.outbox(), store.meterState(),
                new CosemPolicy(Duration.ofSeconds(30), Duration.ofDays(7), Duration.ofDays(1), ZoneOffset.UTC),
                gatewayClock, quiet);
    }

    private List<OutboxMessage> all() throws Exception {
        return store.outbox().oldest(EnumSet.allOf(MessageKind.class), 100_000);
    }

    /** Import values of the load-profile captures queued so far, by capture time, in outbox order. */
    private List<Map.Entry<Instant, Long>> profileImports() throws Exception {
        List<Map.Entry<Instant, Long>> out = new ArrayList<>();
        for (OutboxMessage m : all()) {
            if (m.kind() == MessageKind.READING && m.retention() == Retention.BILLING && m.payload().startsWith("[")) {
                Matcher r = PROFILE_IMPORT.matcher(m.payload());
                while (r.find()) {
                    out.add(Map.entry(Instant.parse(r.group(2)), Long.parseLong(r.group(1))));
                }
            }
        }
        return out;
    }

    private List<Matcher> dailies() throws Exception {
        List<Matcher> out = new ArrayList<>();
        for (OutboxMessage m : all()) {
            if (m.payload().startsWith("{\"schema\":\"daily/v1\"")) {
                assertThat(m.retention()).isEqualTo(Retention.BILLING);
                Matcher d = DAILY.matcher(m.payload());
                assertThat(d.find()).as(m.payload()).isTrue();
                out.add(d);
            }
        }
        return out;
    }

    private List<OutboxMessage> events(String type) throws Exception {
        return all().stream().filter(m -> m.kind() == MessageKind.EVENT
                && m.payload().contains("\"type\":\"" + type + "\"")).toList();
    }

    private static void assertConsecutive(List<Map.Entry<Instant, Long>> captures, Instant first, int count) {
        assertThat(captures).hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(captures.get(i).getKey()).isEqualTo(first.plus(CAPTURE.multipliedBy(i)));
        }
    }

    @Test
    void aThreeDayOutageIsCaughtUpWithEveryCaptureOnceInOrder() throws Exception {
        MeterPoller poller = poller(driver());

        poller.attempt(); // first start: the last 7 days
        assertThat(poller.status().state()).isEqualTo(MeterState.ONLINE);
        List<Map.Entry<Instant, Long>> firstStart = profileImports();
        assertConsecutive(firstStart, Instant.parse("2026-02-23T10:15:00Z"), 7 * 96);

        sim.clock().advance(Duration.ofDays(3)); // the gateway was off for three days
        poller.attempt();
        List<Map.Entry<Instant, Long>> all = profileImports();
        List<Map.Entry<Instant, Long>> caughtUp = all.subList(firstStart.size(), all.size());
        assertConsecutive(caughtUp, Instant.parse("2026-03-02T10:15:00Z"), 3 * 96);
        assertThat(caughtUp.get(caughtUp.size() - 1).getKey()).isEqualTo(Instant.parse("2026-03-05T10:00:00Z"));
        assertThat(caughtUp.get(caughtUp.size() - 1).getValue()).isGreaterThanOrEqualTo(caughtUp.get(0).getValue());

        int before = all().size();
        poller.attempt(); // nothing new in the profile: only the routine register readout is added
        assertThat(profileImports()).hasSize(all.size());
        assertThat(all()).hasSize(before + 1);
        assertThat(readingTimesInOutboxOrder()).as("the meter's readings are queued in the order it took them")
                .isSorted();
    }

    /** Time stamps of every reading queued (registers and captures), in outbox order. */
    private List<Instant> readingTimesInOutboxOrder() throws Exception {
        List<Instant> out = new ArrayList<>();
        for (OutboxMessage m : all()) {
            if (m.kind() == MessageKind.READING && m.payload().startsWith("[")) {
                Matcher ts = READING_TS.matcher(m.payload());
                while (ts.find()) {
                    out.add(Instant.parse(ts.group(1)));
                }
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    @Test
    void aGatewayRestartInTheMiddleOfACatchUpNeitherRepeatsNorSkipsACapture() throws Exception {
        MeterPoller cut = poller(new InterruptingCosemMeter(driver(), 3));
        cut.attempt();
        assertThat(cut.status().state()).isNotEqualTo(MeterState.ONLINE);
        assertThat(profileImports()).hasSize(3 * 96); // three of the seven daily chunks were stored
        cut.stop();

        // restart: a new store object over the same file and a new poller
        store.close();
        store = Stores.sqlite(dir.resolve("metergate.db"));
        MeterPoller restarted = poller(driver());
        restarted.attempt();

        assertThat(restarted.status().state()).isEqualTo(MeterState.ONLINE);
        assertConsecutive(profileImports(), Instant.parse("2026-02-23T10:15:00Z"), 7 * 96);
        assertThat(dailies()).extracting(d -> d.group(1)).containsExactly("2026-02-24", "2026-02-25", "2026-02-26",
                "2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02");
    }

    @Test
    void dailyValuesComeOncePerDayFromTheMidnightCaptureWithTheDaysConsumption() throws Exception {
        MeterPoller poller = poller(driver());
        poller.attempt();
        poller.attempt();
        sim.clock().advance(Duration.ofDays(1));
        poller.attempt();
        poller.attempt();

        Map<Instant, Long> importAt = new HashMap<>();
        profileImports().forEach(e -> importAt.put(e.getKey(), e.getValue()));
        List<Matcher> days = dailies();
        assertThat(days).extracting(d -> d.group(1)).containsExactly("2026-02-24", "2026-02-25", "2026-02-26",
                "2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02", "2026-03-03");
        assertThat(days.get(0).group(2)).isEqualTo("null"); // the day before the first midnight is unknown
        for (Matcher d : days.subList(1, days.size())) {
            Instant midnight = Instant.parse(d.group(1) + "T00:00:00Z");
            long expected = importAt.get(midnight) - importAt.get(midnight.minus(Duration.ofDays(1)));
            assertThat(new BigDecimal(d.group(3)).longValueExact()).as(d.group(1)).isEqualTo(expected);
        }
        assertThat((store.meterState()).state("m1")).containsEntry(CosemReads.DAILY_DAY, "2026-03-03")
                .containsEntry(CosemReads.CURSOR, "2026-03-03T10:00:00Z");
    }

    @Test
    void clockDriftAboveTheThresholdIsReportedOncePerCrossingAndMarksTheReadings() throws Exception {
        MeterPoller poller = poller(driver());

        gatewayAhead = Duration.ofSeconds(10); // below the 30 s threshold
        poller.attempt();
        assertThat(events("clock-drift")).isEmpty();
        assertThat(lastRoutineStatuses()).containsOnly("ok");

        gatewayAhead = Duration.ofSeconds(45);
        poller.attempt();
        poller.attempt();
        assertThat(events("clock-drift")).singleElement().satisfies(e -> {
            assertThat(e.retention()).isEqualTo(Retention.ALARM);
            assertThat(e.payload()).contains("\"driftSeconds\":-45", "45 s behind", "threshold 30 s");
        });
        assertThat(lastRoutineStatuses()).containsOnly("clock-uncertain");

        gatewayAhead = Duration.ofSeconds(5);
        poller.attempt();
        assertThat(events("clock-drift")).hasSize(1);
        assertThat(lastRoutineStatuses()).containsOnly("ok");

        gatewayAhead = Duration.ofSeconds(-40); // meter ahead this time: a new crossing
        poller.attempt();
        assertThat(events("clock-drift")).hasSize(2).last()
                .satisfies(e -> assertThat(e.payload()).contains("\"driftSeconds\":40", "40 s ahead of"));
    }

    @Test
    void readNowAnswersWithoutTheCatchUpWhichTheNextScheduledPollDoes() throws Exception {
        MeterPoller poller = poller(driver());

        assertThat(poller.readNow(Duration.ofSeconds(5)).readings()).isNotEmpty();
        assertThat(profileImports()).isEmpty();

        poller.attempt();
        assertThat(profileImports()).hasSize(7 * 96);
    }

    @Test
    void everyDocumentQueuedForTheHeadEndMatchesTheMqttContract() throws Exception {
        MeterPoller poller = poller(driver());
        gatewayAhead = Duration.ofMillis(45_500); // meter 45.5 s behind: a clock-drift event
        poller.attempt();
        gatewayAhead = Duration.ZERO;
        sim.clock().advance(Duration.ofDays(1));
        poller.attempt();

        List<String> batchElements = new ArrayList<>();
        int daily = 0;
        int drift = 0;
        for (OutboxMessage m : all()) {
            String payload = m.payload();
            if (m.kind() == MessageKind.EVENT) {
                // the link adds the msgId when it sends the event
                String sent = "{\"msgId\":\"" + m.msgId() + "\"," + payload.substring(1);
                assertThat(MqttContractSchemas.errors("events.json", sent)).as(sent).isEmpty();
                if (payload.contains("\"type\":\"clock-drift\"")) {
                    drift++;
                    assertThat(MqttContractSchemas.errors("clock-drift-event.json", sent)).as(sent).isEmpty();
                    assertThat(payload).contains("\"driftSeconds\":-45.5");
                }
            } else if (payload.startsWith("{\"schema\":\"daily/v1\"")) {
                daily++;
                assertThat(MqttContractSchemas.errors("daily.json", payload)).as(payload).isEmpty();
                batchElements.add(payload);
            } else {
                assertThat(m.kind()).isEqualTo(MessageKind.READING);
                assertThat(payload).startsWith("[").endsWith("]");
                batchElements.add(payload.substring(1, payload.length() - 1));
            }
        }
        assertThat(drift).isEqualTo(1);
        assertThat(daily).isEqualTo(8);
        // the link puts readings and daily documents, as queued, into readings/v1 batches
        String batch = "{\"schema\":\"readings/v1\",\"msgId\":\"b1\",\"readings\":[" + String.join(",", batchElements)
                + "]}";
        assertThat(MqttContractSchemas.errors("readings.json", batch)).isEmpty();
        // and the validator is not blind: a daily document without its zone is refused
        String broken = all().stream().map(OutboxMessage::payload).filter(p -> p.contains("daily/v1")).findFirst()
                .orElseThrow().replaceFirst(",\"zone\":\"[^\"]*\"", "");
        assertThat(MqttContractSchemas.errors("daily.json", broken)).isNotEmpty();
    }

    private List<String> lastRoutineStatuses() throws Exception {
        List<OutboxMessage> routine = all().stream().filter(m -> m.retention() == Retention.ROUTINE).toList();
        String payload = routine.get(routine.size() - 1).payload();
        List<String> statuses = new ArrayList<>();
        Matcher m = Pattern.compile("\"status\":\"([a-z-]+)\"").matcher(payload);
        while (m.find()) {
            statuses.add(m.group(1));
        }
        assertThat(statuses).isNotEmpty();
        return statuses;
    }
}
