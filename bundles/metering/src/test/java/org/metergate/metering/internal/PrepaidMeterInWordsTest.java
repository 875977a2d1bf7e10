// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterState;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.Reading;
import org.metergate.api.meter.ReadingStatus;
import org.metergate.dlms.embedded.DlmsDrivers;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.SimClock;
import org.metergate.store.embedded.EmbeddedStore;
import org.metergate.store.embedded.Stores;

/**
 * What a technician reads in mg:meters about a prepaid DLMS meter, from the real driver, simulator and store: the
 * credit, the relay in words and the consumption of its last complete day.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrepaidMeterInWordsTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:07:00Z");

    @TempDir
    Path dir;

    private DlmsSimulator sim;
    private EmbeddedStore store;
    private final List<String> dailies = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sim = DlmsSimulator.builder().count(1).seed(5).stateDir(dir.resolve("sim")).clock(SimClock.frozenAt(T0))
                .start();
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

    @Test
    void metersShowsCreditRelayAndYesterdaysConsumptionInWords() throws Exception {
        DlmsMeter meter = sim.meters().get(0);
        MeterPoller poller = poller(meter);
        MeteringCommands commands = new MeteringCommands(service(poller), store.outbox(), store.meterState());

        poller.attempt();
        assertThat(poller.status().state()).isEqualTo(MeterState.ONLINE);
        String credit = BigDecimal.valueOf(meter.firmware().availableCreditMinor(), 2).toPlainString();
        String used = kWh(meter, LocalDate.parse("2026-03-01"));
        assertThat(valuesLine(commands.meters())).isEqualTo(
                "credit " + credit + " EUR, relay connected (supply on), used " + used + " kWh on 2026-03-01");

        // the seven days read back at the first poll: the first without consumption, then one per day
        assertThat(dailies).hasSize(7).first().isEqualTo("2026-02-24 null");
        assertThat(dailies).last().isEqualTo("2026-03-02 " + used + " kWh");

        meter.firmware().remoteDisconnect();
        poller.attempt();
        assertThat(valuesLine(commands.meters())).contains("relay disconnected (supply off)");

        meter.faults().noAnswer(true);
        poller.attempt();
        poller.attempt();
        poller.attempt();
        assertThat(poller.status().state()).isEqualTo(MeterState.UNREACHABLE);
        assertThat(valuesLine(commands.meters())).as("old values are said to be old")
                .startsWith("at the last read: credit ").contains("relay disconnected");
    }

    @Test
    void wordsForValues() {
        Instant at = Instant.parse("2026-03-02T00:00:00Z");
        MeterReadout readout = new MeterReadout("d1", "x", at, List.of(
                Reading.numeric("d1", ObisCode.parse("1-0:1.8.0.255"), BigDecimal.valueOf(1234), 0, "Wh", at,
                        ReadingStatus.OK),
                Reading.numeric("d1", PlainWords.RELAY, BigDecimal.ZERO, 0, "", at, ReadingStatus.OK),
                Reading.numeric("d1", PlainWords.CREDIT, BigDecimal.valueOf(-150), -2, "EUR", at, ReadingStatus.OK)));
        assertThat(PlainWords.prepaid(readout)).isEqualTo("credit -1.50 EUR, relay disconnected (supply off)");
        assertThat(PlainWords.prepaid(new MeterReadout("m1", "x", at, readout.readings().subList(0, 1)))).isEmpty();
        assertThat(PlainWords.relay(BigDecimal.ONE)).isEqualTo("relay connected (supply on)");
        assertThat(PlainWords.relay(BigDecimal.TEN)).contains("not 0 or 1");
        assertThat(PlainWords.energy(new BigDecimal("7415"), "Wh")).isEqualTo("7.415 kWh");
        assertThat(PlainWords.energy(new BigDecimal("7.4"), "kWh")).isEqualTo("7.4 kWh");
        assertThat(PlainWords.lastDailyConsumption(Map.of(CosemReads.DAILY_DAY, "2026-03-02",
                CosemReads.DAILY_CONSUMPTION, "7415 Wh"))).isEqualTo("used 7.415 kWh on 2026-03-01");
        assertThat(PlainWords.lastDailyConsumption(Map.of(CosemReads.DAILY_DAY, "2026-03-02",
                CosemReads.DAILY_CONSUMPTION, ""))).isEmpty();
        assertThat(PlainWords.lastDailyConsumption(Map.of())).isEmpty();
    }

    /** Energy used on {@code day} according to the simulated meter's own registers, in kWh with 3 decimals. */
    private static String kWh(DlmsMeter meter, LocalDate day) {
        long slot = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() / 900; // the meter's 15-minute captures
        long start = meter.firmware().captureAt(slot)[1];
        long end = meter.firmware().captureAt(slot + 96)[1];
        return BigDecimal.valueOf(end - start, 3).toPlainString();
    }

    /** The indented line under the meter's row. */
    private static String valuesLine(String meters) {
        List<String> lines = meters.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("d1 ");
        assertThat(lines.get(2)).startsWith(" ".repeat(13));
        return lines.get(2).strip();
    }

    private MeterPoller poller(DlmsMeter meter) {
        var driver = DlmsDrivers.tcp("d1", meter.wrapperPort(), meter.config().authenticationKey(),
                meter.config().encryptionKey(), dir.resolve("data"), Map.of("responseTimeoutMs", 500,
                        "values", new String[] {"111/0-0:19.0.0.255/5/-2/EUR", "70/0-0:96.3.10.255/2"}));
        Clock clock = new Clock() {
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
                return sim.clock().now();
            }
        };
        MeterPoller.Listener listener = new MeterPoller.Listener() {
            @Override
            public void readout(MeterReadout readout) {
            }

            @Override
            public void failure(String meterId, MeterException failure, MeterState state) {
            }

            @Override
            public void daily(String meterId, LocalDate day, List<Reading> atMidnight, Reading consumption) {
                dailies.add(day + " " + (consumption == null ? "null"
                        : PlainWords.energy(consumption.scaledValue(), consumption.unit())));
            }
        };
        return new MeterPoller(driver, store.outbox(), store.meterState(),
                new CosemPolicy(Duration.ofSeconds(30), Duration.ofDays(7), Duration.ofDays(1), ZoneOffset.UTC),
                clock, listener);
    }

    private static MeteringService service(MeterPoller poller) {
        return new MeteringService() {
            @Override
            public List<MeterStatus> meters() {
                return List.of(poller.status());
            }

            @Override
            public Optional<MeterStatus> meter(String meterId) {
                return Optional.of(poller.status());
            }

            @Override
            public Optional<MeterReadout> lastReadout(String meterId) {
                return poller.lastReadout();
            }

            @Override
            public MeterReadout readNow(String meterId) throws MeterException {
                return poller.readNow(Duration.ofSeconds(5));
            }
        };
    }
}
