// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.metergate.api.meter.ReadingStatus;
import org.metergate.iec62056.internal.ReadoutConverter.DataLine;

class ReadoutConverterTest {

    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void numericAndTextValuesWithUnits() {
        var converted = ReadoutConverter.convert("m1", List.of(
                new DataLine("1.8.0", "001234.567", "kWh"),
                new DataLine("32.7.0", "230.1", "V"),
                new DataLine("0.9.1", "21:40:00", ""),
                new DataLine("F.F", "00000000", "")), T);

        assertThat(converted.skipped()).isEmpty();
        assertThat(converted.readings()).hasSize(4);
        var energy = converted.readings().get(0);
        assertThat(energy.obis()).hasToString("1-0:1.8.0*255");
        assertThat(energy.scaledValue()).isEqualByComparingTo(new BigDecimal("1234.567"));
        assertThat(energy.unit()).isEqualTo("kWh");
        assertThat(energy.status()).isEqualTo(ReadingStatus.OK);
        assertThat(converted.readings().get(2).isNumeric()).isFalse();
        assertThat(converted.readings().get(2).text()).isEqualTo("21:40:00");
    }

    @Test
    void aNonZeroErrorRegisterFlagsTheWholeReadout() {
        var converted = ReadoutConverter.convert("m1", List.of(
                new DataLine("1.8.0", "1.0", "kWh"), new DataLine("F.F", "00000010", "")), T);

        assertThat(converted.readings()).allMatch(r -> r.status() == ReadingStatus.METER_FLAGGED);
    }

    @Test
    void unknownAddressesAreSkippedNotGuessed() {
        var converted = ReadoutConverter.convert("m1", List.of(
                new DataLine("SERIAL", "123", ""), new DataLine("1.8.0", "2", "kWh")), T);

        assertThat(converted.readings()).hasSize(1);
        assertThat(converted.skipped()).containsExactly("SERIAL(123)");
    }
}
