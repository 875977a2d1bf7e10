// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.Reading;
import org.metergate.api.meter.ReadingStatus;

/** The in-memory plot data stays bounded: points per value, values per meter, the hour, configured meters only. */
class LiveValuesTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private final LiveValues live = new LiveValues();

    private static MeterReadout readout(String meterId, Instant at, int values) {
        List<Reading> readings = new ArrayList<>();
        for (int i = 0; i < values; i++) {
            readings.add(Reading.numeric(meterId, ObisCode.parse("1-0:" + (i + 1) + ".7.0.255"),
                    BigDecimal.valueOf(i), 0, "W", at, ReadingStatus.OK));
        }
        readings.add(Reading.text(meterId, ObisCode.parse("0-0:96.1.0.255"), "serial", at, ReadingStatus.OK));
        return new MeterReadout(meterId, "id", at, readings);
    }

    @Test
    void keepsAtMostTheLastPointsOfTheLastHourForABoundedNumberOfValues() {
        Instant at = T0;
        for (int i = 0; i < LiveValues.MAX_POINTS + 50; i++) {
            at = T0.plusSeconds(i);
            live.record(readout("m1", at, LiveValues.MAX_SERIES + 3), at);
        }
        List<LiveValues.Series> series = live.series("m1", at);
        assertThat(series).hasSize(LiveValues.MAX_SERIES); // text values are not plotted
        assertThat(series.get(0).points()).hasSize(LiveValues.MAX_POINTS);
        assertThat(series.get(0).points().get(0).at()).isEqualTo(T0.plusSeconds(50));

        assertThat(live.series("m1", at.plus(LiveValues.WINDOW).plusSeconds(1))).isEmpty();
    }

    @Test
    void takesEachReadoutOnceAndForgetsMetersNoLongerConfigured() {
        live.record(readout("m1", T0, 1), T0);
        live.record(readout("m1", T0, 1), T0.plusSeconds(5));
        live.record(readout("m2", T0, 1), T0);
        assertThat(live.series("m1", T0.plusSeconds(5)).get(0).points()).hasSize(1);

        live.retain(Set.of("m2"));
        assertThat(live.series("m1", T0)).isEmpty();
        assertThat(live.series("m2", T0.plus(Duration.ofMinutes(59)))).hasSize(1);
    }
}
