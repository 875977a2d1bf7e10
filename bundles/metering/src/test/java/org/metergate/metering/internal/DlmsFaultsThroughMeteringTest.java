// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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
import org.metergate.simulator.dlms.DlmsFaults;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.SimClock;
import org.metergate.store.embedded.EmbeddedStore;
import org.metergate.store.embedded.Stores;

/**
 * Faults injected into one simulated DLMS meter, seen through metering with the real driver and store: the poller
 * retries with backoff, marks the meter unreachable with one event per outage naming the fault, never waits longer
 * than the response timeout, recovers when the fault is cleared, and the healthy meter next to it is read at every
 * one of its polls. The tests drive the pollers' attempts themselves (no real waiting for backoff or intervals).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DlmsFaultsThroughMeteringTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:07:00Z");
    private static final int RETRIES = 1;
    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final Duration BACKOFF = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private DlmsSimulator sim;
    private EmbeddedStore store;
    private final List<String> failures = new ArrayList<>();

    private final MeterPoller.Listener recorder = new MeterPoller.Listener() {
        @Override
        public void readout(MeterReadout readout) {
        }

        @Override
        public synchronized void failure(String meterId, MeterException failure, MeterState state) {
            failures.add(meterId + ": " + failure.getMessage());
        }
    };

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
            return sim.clock().now();
        }
    };

    @BeforeEach
    void start() throws Exception {
        sim = DlmsSimulator.builder().count(2).seed(11).hdlc(true).stateDir(dir.resolve("sim"))
                .clock(SimClock.frozenAt(T0)).start();
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
    void fcsErrorsOnTheHdlcLine() throws Exception {
        // jDLMS's HDLC layer drops frames with a bad FCS, so the driver sees no (valid) answer
        outagesOf(true, faults -> faults.corruptNextFrames(1_000_000), true, "no answer from meter faulty on tcp://",
                "(HDLC, client 1, logical device 1) within 500 ms - check the cable or probe");
    }

    @Test
    void aSilentMeter() throws Exception {
        outagesOf(false, faults -> faults.noAnswer(true), true, "no answer from meter faulty on tcp://",
                "(wrapper, client 1, logical device 1) within 500 ms - check the cable or probe");
    }

    @Test
    void aMeterRefusingTheAssociation() throws Exception {
        // a refusal is not retried with backoff (repeated failed HLS attempts can lock a real meter's client):
        // unreachable at once, tried again at every poll
        outagesOf(false, faults -> faults.refuseAssociation(true), false,
                "the meter refused the association - check the management client keys for meter faulty",
                "(re-enter them with mg:dlms-key)");
    }

    /**
     * Two outages of the faulty meter with a recovery between them, and the healthy meter polled after each attempt
     * of the faulty one. {@code retried}: the fault is transient, so one retry after the backoff comes first.
     */
    private void outagesOf(boolean hdlc, Consumer<DlmsFaults> fault, boolean retried, String... expectedMessage)
            throws Exception {
        DlmsMeter faultyMeter = sim.meters().get(0);
        MeterPoller faulty = poller("faulty", faultyMeter, hdlc);
        MeterPoller healthy = poller("healthy", sim.meters().get(1), hdlc);
        assertThat(faulty.attempt()).isEqualTo(INTERVAL);
        assertHealthyIsRead(healthy);
        assertThat(faulty.status().state()).isEqualTo(MeterState.ONLINE);

        for (int outage = 1; outage <= 2; outage++) {
            fault.accept(faultyMeter.faults());

            if (retried) {
                assertThat(faulty.attempt()).as("retry after the first failure").isEqualTo(BACKOFF);
                assertThat(faulty.status().state()).isEqualTo(MeterState.RETRYING);
                assertThat(faulty.status().lastError()).contains(expectedMessage);
                assertThat(events("faulty", "meter-unreachable")).hasSize(outage - 1);
                assertHealthyIsRead(healthy);
            }

            assertThat(faulty.attempt()).as("given up: back to the poll interval").isEqualTo(INTERVAL);
            assertThat(faulty.status().state()).isEqualTo(MeterState.UNREACHABLE);
            assertThat(faulty.status().lastError()).contains(expectedMessage);
            assertThat(events("faulty", "meter-unreachable")).hasSize(outage)
                    .last().satisfies(e -> assertThat(e.payload()).contains(expectedMessage));
            assertHealthyIsRead(healthy);

            // the next poll cycle of the same outage: retried the same way, still unreachable, no second event
            if (retried) {
                assertThat(faulty.attempt()).isEqualTo(BACKOFF);
            }
            assertThat(faulty.attempt()).isEqualTo(INTERVAL);
            assertThat(faulty.status().state()).isEqualTo(MeterState.UNREACHABLE);
            assertThat(events("faulty", "meter-unreachable")).hasSize(outage);
            assertHealthyIsRead(healthy);

            faultyMeter.faults().clear();
            assertThat(faulty.attempt()).isEqualTo(INTERVAL);
            assertThat(faulty.status().state()).isEqualTo(MeterState.ONLINE);
            assertThat(faulty.status().lastError()).isNull();
            assertThat(events("faulty", "meter-recovered")).hasSize(outage);
            assertHealthyIsRead(healthy);
        }
        assertThat(failures).isNotEmpty().allSatisfy(f -> assertThat(f).startsWith("faulty: ")
                .contains(expectedMessage));
        assertThat(events("healthy", "meter-unreachable")).isEmpty();
    }

    /** One scheduled poll of the healthy meter: it is read, its routine readings are queued, next poll on schedule. */
    private void assertHealthyIsRead(MeterPoller healthy) throws Exception {
        long before = routineReadings("healthy");
        assertThat(healthy.attempt()).isEqualTo(INTERVAL);
        assertThat(healthy.status().state()).isEqualTo(MeterState.ONLINE);
        assertThat(healthy.status().consecutiveFailures()).isZero();
        assertThat(routineReadings("healthy")).isEqualTo(before + 1);
    }

    private MeterPoller poller(String meterId, DlmsMeter meter, boolean hdlc) {
        CosemMeter driver = DlmsDrivers.tcp(meterId, hdlc ? meter.hdlcPort() : meter.wrapperPort(),
                meter.config().authenticationKey(), meter.config().encryptionKey(), dir.resolve("data"),
                Map.of("tcpFraming", hdlc ? "HDLC" : "WRAPPER", "responseTimeoutMs", 500, "retries", RETRIES,
                        "pollIntervalSeconds", (int) INTERVAL.toSeconds(),
                        "backoffInitialSeconds", (int) BACKOFF.toSeconds()));
        return new MeterPoller(driver, store.outbox(), store.meterState(),
                new CosemPolicy(Duration.ofSeconds(30), Duration.ofDays(1), Duration.ofDays(1), ZoneOffset.UTC),
                gatewayClock, recorder);
    }

    private List<OutboxMessage> events(String meterId, String type) throws Exception {
        return store.outbox().oldest(EnumSet.of(MessageKind.EVENT), 10_000).stream()
                .filter(m -> meterId.equals(m.meterId()) && m.payload().contains("\"type\":\"" + type + "\""))
                .toList();
    }

    private long routineReadings(String meterId) throws Exception {
        return store.outbox().oldest(EnumSet.of(MessageKind.READING), 100_000).stream()
                .filter(m -> meterId.equals(m.meterId()) && m.retention() == Retention.ROUTINE).count();
    }
}
