// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterState;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.meter.ProfileCatchUp;
import org.metergate.dlms.embedded.DlmsDrivers;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.SimClock;
import org.metergate.store.embedded.EmbeddedStore;
import org.metergate.store.embedded.Stores;

/**
 * The load-profile catch-up of a DLMS meter that was out of reach for days shows how far it is in the meter's
 * status while it runs, and nothing once it is done. Observed at every step the poller reports (start and each
 * chunk queued), so the test sees each value without waiting on time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CatchUpProgressTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:07:00Z");

    @TempDir
    Path dir;

    private DlmsSimulator sim;
    private DlmsMeter simMeter;
    private EmbeddedStore store;
    private MeterPoller poller;
    /** The meter's status as anyone asking the poller saw it each time the catch-up reported progress. */
    private final List<MeterStatus> seen = new ArrayList<>();
    private final List<ProfileCatchUp> reported = new ArrayList<>();
    /** What {@code mg:meters} printed at each of those moments. */
    private final List<String> listed = new ArrayList<>();

    private final MeterPoller.Listener observer = new MeterPoller.Listener() {
        @Override
        public void readout(MeterReadout readout) {
        }

        @Override
        public void failure(String meterId, MeterException failure, MeterState state) {
        }

        @Override
        public void catchUpProgress(String meterId, ProfileCatchUp progress) {
            reported.add(progress);
            seen.add(poller.status());
            listed.add(commands.meters());
        }
    };

    /** The shell commands over this one poller, as the metering component offers it. */
    private final MeteringCommands commands = new MeteringCommands(new MeteringService() {
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
            return poller.readNow(Duration.ofSeconds(1));
        }
    }, new RecordingOutbox(), null);

    @BeforeEach
    void start() throws Exception {
        sim = DlmsSimulator.builder().count(1).seed(3).stateDir(dir.resolve("sim")).clock(SimClock.frozenAt(T0))
                .start();
        simMeter = sim.meters().get(0);
        store = Stores.sqlite(dir.resolve("metergate.db"));
        CosemMeter driver = DlmsDrivers.tcp("m1", simMeter.wrapperPort(), simMeter.config().authenticationKey(),
                simMeter.config().encryptionKey(), dir.resolve("data"));
        Clock gatewayClock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return sim.clock().now();
            }
        };
        poller = new MeterPoller(driver, store.outbox(), store.meterState(),
                new CosemPolicy(Duration.ofSeconds(30), Duration.ofDays(7), Duration.ofDays(1), ZoneOffset.UTC),
                gatewayClock, observer);
    }

    @AfterEach
    void stop() throws Exception {
        if (poller != null) {
            poller.stop();
        }
        if (store != null) {
            store.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void aThreeDayCatchUpShowsItsCapturesRisingAndIsClearedWhenDone() throws Exception {
        poller.attempt(); // the first read brings the profile up to date
        assertThat(poller.status().catchUp()).isNull();
        seen.clear();
        reported.clear();
        listed.clear();

        sim.clock().advance(Duration.ofDays(3)); // out of reach for three days
        Instant started = sim.clock().now();
        poller.attempt();

        Instant lastQueued = Instant.parse("2026-03-02T10:00:00Z");
        Instant meterNow = Instant.parse("2026-03-05T10:07:00Z");
        List<ProfileCatchUp> shown = seen.subList(0, seen.size() - 1).stream().map(MeterStatus::catchUp).toList();
        // start, one step per daily chunk (three of 96 captures, then the last 7 minutes without a capture)
        assertThat(shown).hasSize(5).doesNotContainNull();
        assertThat(shown).extracting(ProfileCatchUp::capturesFetched).containsExactly(0, 96, 192, 288, 288);
        assertThat(shown).extracting(ProfileCatchUp::capturesExpected).containsOnly(3 * 96);
        assertThat(shown).extracting(ProfileCatchUp::fetchedUpTo).isSorted().startsWith(lastQueued)
                .endsWith(meterNow);
        assertThat(shown).allSatisfy(p -> {
            assertThat(p.from()).isEqualTo(lastQueued);
            assertThat(p.to()).isEqualTo(meterNow);
            assertThat(p.startedAt()).isEqualTo(started);
        });
        assertThat(shown.get(1).inWords())
                .isEqualTo("96 of 288 captures (2026-03-02 10:00 to 2026-03-05 10:07 UTC)");
        assertThat(reported.subList(0, shown.size())).isEqualTo(shown);
        assertThat(listed.get(1)).contains(
                "catching up the load profile: 96 of 288 captures (2026-03-02 10:00 to 2026-03-05 10:07 UTC)");
        assertThat(listed.get(listed.size() - 1)).doesNotContain("catching up");

        // the end is reported once, and the meter's status no longer shows a catch-up
        assertThat(reported.get(reported.size() - 1)).isNull();
        assertThat(seen.get(seen.size() - 1).catchUp()).isNull();
        assertThat(poller.status().catchUp()).isNull();
        assertThat(poller.status().state()).isEqualTo(MeterState.ONLINE);
    }

    @Test
    void aCatchUpCutShortByTheLineIsClearedAndTheNextOneCountsFromWhereItStopped() throws Exception {
        MeterPoller cut = new MeterPoller(new InterruptingCosemMeter(DlmsDrivers.tcp("m1", simMeter.wrapperPort(),
                simMeter.config().authenticationKey(), simMeter.config().encryptionKey(), dir.resolve("data")), 2),
                store.outbox(), store.meterState(),
                new CosemPolicy(Duration.ofSeconds(30), Duration.ofDays(7), Duration.ofDays(1), ZoneOffset.UTC),
                Clock.fixed(T0, ZoneOffset.UTC), observer);
        poller = cut;
        cut.attempt(); // first read back of 7 days, the line goes dead after two daily chunks

        assertThat(reported).extracting(p -> p == null ? null : p.capturesFetched())
                .containsExactly(0, 96, 192, null);
        assertThat(reported.get(0).capturesExpected()).isEqualTo(7 * 96);
        assertThat(cut.status().catchUp()).isNull();
        assertThat(cut.status().state()).isNotEqualTo(MeterState.ONLINE);
    }
}
