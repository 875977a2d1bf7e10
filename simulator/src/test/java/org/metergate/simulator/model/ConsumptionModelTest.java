// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumptionModelTest {

    private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");

    private static ModelSettings settings(long seed) {
        return new ModelSettings(seed, 1, ZoneOffset.UTC, Clock.fixed(START, ZoneOffset.UTC), START);
    }

    @Test
    void sameSeedAndMeterGiveTheSameReadings() {
        ConsumptionModel a = new ConsumptionModel(settings(42), "m1", null);
        ConsumptionModel b = new ConsumptionModel(settings(42), "m1", null);
        ConsumptionModel otherMeter = new ConsumptionModel(settings(42), "m2", null);
        ConsumptionModel otherSeed = new ConsumptionModel(settings(43), "m1", null);
        Instant later = START.plus(Duration.ofHours(30)).plusSeconds(17);

        b.readAt(START.plus(Duration.ofHours(3))); // reading in between changes nothing
        assertThat(a.readAt(later)).isEqualTo(b.readAt(later));
        assertThat(otherMeter.readAt(later).importTotalWh()).isNotEqualTo(a.readAt(later).importTotalWh());
        assertThat(otherSeed.readAt(later).importTotalWh()).isNotEqualTo(a.readAt(later).importTotalWh());
    }

    @Test
    void registersAreMonotonicConsistentAndFollowTheTariffClock() {
        ConsumptionModel model = new ConsumptionModel(settings(5), "m3", null);
        MeterReading previous = model.readAt(START);
        long startTotal = previous.importTotalWh();
        for (int i = 1; i <= 48 * 12; i++) { // two days in 5-minute steps
            MeterReading r = model.readAt(START.plus(Duration.ofMinutes(5L * i)));
            assertThat(r.importDayWh()).isGreaterThanOrEqualTo(previous.importDayWh());
            assertThat(r.importNightWh()).isGreaterThanOrEqualTo(previous.importNightWh());
            assertThat(r.exportWh()).isGreaterThanOrEqualTo(previous.exportWh());
            assertThat(r.importTotalWh()).isEqualTo(r.importDayWh() + r.importNightWh());
            assertThat(r.importPowerW()).isNotNaN().isGreaterThanOrEqualTo(0);
            assertThat(r.exportPowerW()).isNotNaN().isGreaterThanOrEqualTo(0);
            double netW = Math.max(r.importPowerW(), r.exportPowerW());
            assertThat(r.voltageV() * r.currentA()).isCloseTo(netW, within(0.01));
            assertThat(r.voltageV()).isBetween(215.0, 240.0);
            assertThat(r.frequencyHz()).isBetween(49.9, 50.1);
            int hour = r.at().atZone(ZoneOffset.UTC).getHour();
            boolean grew = r.importTotalWh() > previous.importTotalWh() + 2;
            if (grew && hour >= 8 && hour < 23) {
                assertThat(r.importNightWh()).isEqualTo(previous.importNightWh());
            }
            if (grew && (hour >= 0 && hour < 7)) {
                assertThat(r.importDayWh()).isEqualTo(previous.importDayWh());
            }
            previous = r;
        }
        double kWhPerDay = (previous.importTotalWh() - startTotal) / 2000.0;
        assertThat(kWhPerDay).isBetween(2.0, 40.0); // a household, not a factory
    }

    @Test
    void eveningPeakIsAboveNightBaseLoad() {
        ConsumptionModel model = new ConsumptionModel(settings(9).withZone(ZoneId.of("UTC")), "m1", null);
        double night = 0;
        double evening = 0;
        for (int day = 0; day < 7; day++) {
            Instant midnight = START.plus(Duration.ofDays(day));
            night += model.readAt(midnight.plus(Duration.ofHours(3))).importPowerW();
            evening += model.readAt(midnight.plus(Duration.ofMinutes(19 * 60 + 30))).importPowerW();
        }
        assertThat(evening).isGreaterThan(2 * night);
    }

    @Test
    void speedUpRunsSimulatedTimeFaster() {
        MutableClock real = new MutableClock(START);
        ModelSettings s = new ModelSettings(1, 60, ZoneOffset.UTC, real, START);
        ConsumptionModel model = new ConsumptionModel(s, "m1", null);
        real.now = START.plusSeconds(60);
        assertThat(model.read().at()).isEqualTo(START.plus(Duration.ofHours(1)));
    }

    @Test
    void stateFileLetsARestartContinueWhereItStopped(@TempDir Path dir) {
        RegisterStateStore store = new RegisterStateStore(dir);
        MutableClock real = new MutableClock(START);
        ModelSettings s = new ModelSettings(3, 60, ZoneOffset.UTC, real, null);
        ConsumptionModel first = new ConsumptionModel(s, "m1", null);
        long initialTotal = first.read().importTotalWh();
        real.now = START.plusSeconds(600); // ten simulated hours
        MeterReading beforeStop = first.read();
        store.save("m1", first.state());

        real.now = START.plusSeconds(601); // restart a second later
        ConsumptionModel restarted = new ConsumptionModel(s, "m1", store.load("m1").orElseThrow());
        MeterReading afterRestart = restarted.read();
        assertThat(afterRestart.at()).isAfterOrEqualTo(beforeStop.at().minusSeconds(60));
        assertThat(afterRestart.importTotalWh()).isGreaterThanOrEqualTo(beforeStop.importTotalWh() - 50)
                .isGreaterThan(initialTotal);
        assertThat(afterRestart.importTotalWh()).isEqualTo(
                new ConsumptionModel(s, "m1", store.load("m1").orElseThrow()).readAt(afterRestart.at()).importTotalWh());
        assertThat(store.load("m2")).isEmpty();
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
