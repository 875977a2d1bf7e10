// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.metergate.api.cosem.CosemData;
import org.metergate.api.cosem.CosemData.IntegerType;
import org.metergate.api.cosem.CosemDateTime;
import org.metergate.api.cosem.SelectiveAccess;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.Reading;
import org.metergate.api.meter.ReadingStatus;
import org.openmuc.jdlms.SelectiveAccessDescription;
import org.openmuc.jdlms.datatypes.DataObject;

class ConversionTest {

    @Test
    void everyModelledTypeSurvivesARoundTripThroughJdlms() {
        List<CosemData> values = List.of(CosemData.NullData.INSTANCE, new CosemData.BooleanData(true),
                new CosemData.IntegerData(IntegerType.INTEGER, -5), new CosemData.IntegerData(IntegerType.LONG, -300),
                new CosemData.IntegerData(IntegerType.DOUBLE_LONG, -70_000),
                new CosemData.IntegerData(IntegerType.LONG64, Long.MIN_VALUE),
                new CosemData.IntegerData(IntegerType.UNSIGNED, 255),
                new CosemData.IntegerData(IntegerType.LONG_UNSIGNED, 65_535),
                new CosemData.IntegerData(IntegerType.DOUBLE_LONG_UNSIGNED, 4_294_967_295L),
                new CosemData.IntegerData(IntegerType.LONG64_UNSIGNED, 7), new CosemData.EnumData(30),
                new CosemData.FloatData(true, 1.5), new CosemData.FloatData(false, 2.25),
                new CosemData.OctetString(new byte[] {1, 2, 3}), new CosemData.VisibleString("MGS"),
                new CosemData.BitString(new byte[] {(byte) 0xA0}, 3),
                CosemData.Structure.of(new CosemData.IntegerData(IntegerType.INTEGER, -1), new CosemData.EnumData(30)),
                CosemData.ArrayData.of(new CosemData.OctetString(new byte[0])));
        for (CosemData value : values) {
            assertThat(DataConverter.fromDlms(DataConverter.toDlms(value))).as("%s", value).isEqualTo(value);
        }
    }

    @Test
    void integersOutsideTheirTypeAreRefused() {
        assertThatThrownBy(() -> new CosemData.IntegerData(IntegerType.UNSIGNED, 256))
                .hasMessageContaining("256").hasMessageContaining("UNSIGNED");
        assertThat(new CosemData.IntegerData(IntegerType.LONG64_UNSIGNED, -1).bigValue().toString())
                .isEqualTo("18446744073709551615");
    }

    @Test
    void dateTimesEncodeTheDeviationAsUtcEqualsLocalPlusDeviation() {
        Instant t = Instant.parse("2026-03-02T10:07:05.25Z");
        byte[] utc = CosemDateTime.encode(t).value();
        assertThat(utc).containsExactly(0x07, 0xEA, 3, 2, 1, 10, 7, 5, 25, 0, 0, 0);
        byte[] plusOne = CosemDateTime.encode(t, ZoneOffset.ofHours(1)).value();
        assertThat(plusOne[5]).isEqualTo((byte) 11);
        assertThat((short) (((plusOne[9] & 0xFF) << 8) | (plusOne[10] & 0xFF))).isEqualTo((short) -60);
        assertThat(CosemDateTime.decode(plusOne)).map(OffsetDateTime::toInstant).contains(t);
        byte[] wildcard = utc.clone();
        wildcard[0] = (byte) 0xFF;
        wildcard[1] = (byte) 0xFF;
        assertThat(CosemDateTime.decode(wildcard)).isEmpty();
        assertThat(CosemDateTime.decode(new byte[11])).isEmpty();
    }

    @Test
    void rangeAccessRestrictsByTheClockAndSelectsAllColumns() {
        SelectiveAccessDescription d = SelectiveAccessEncoder.encode(SelectiveAccess.byClock(
                Instant.parse("2026-03-01T12:00:00Z"), Instant.parse("2026-03-01T13:00:00Z")));
        assertThat(d.getAccessSelector()).isEqualTo(1);
        List<DataObject> range = d.getAccessParameter().getValue();
        List<DataObject> restricting = range.get(0).getValue();
        assertThat(restricting.get(0).<Integer>getValue()).isEqualTo(8);
        assertThat(restricting.get(1).<byte[]>getValue()).containsExactly(0, 0, 1, 0, 0, 255);
        assertThat(restricting.get(2).<Byte>getValue()).isEqualTo((byte) 2);
        assertThat(CosemDateTime.decode(range.get(1).<byte[]>getValue())).map(OffsetDateTime::toInstant)
                .contains(Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(range.get(3).<List<DataObject>>getValue()).isEmpty();

        SelectiveAccessDescription e = SelectiveAccessEncoder.encode(SelectiveAccess.entries(10, 0));
        assertThat(e.getAccessSelector()).isEqualTo(2);
        List<DataObject> entry = e.getAccessParameter().getValue();
        assertThat(entry.get(0).<Long>getValue()).isEqualTo(10L);
        assertThat(entry.get(1).<Long>getValue()).isZero();
        assertThat(entry.get(2).<Integer>getValue()).isEqualTo(1);
        assertThat(entry.get(3).<Integer>getValue()).isZero();
    }

    @Test
    void selectiveAccessRefusesBackwardsRanges() {
        Instant t = Instant.parse("2026-03-01T12:00:00Z");
        assertThatThrownBy(() -> SelectiveAccess.byClock(t, t.minusSeconds(1))).hasMessageContaining("before");
        assertThatThrownBy(() -> SelectiveAccess.entries(5, 4)).hasMessageContaining("entries 5..4");
    }

    @Test
    void registerValuesBecomeReadingsWithScalerAndUnit() {
        Instant at = Instant.parse("2026-03-02T10:07:00Z");
        ObisCode voltage = ObisCode.parse("1-0:32.7.0.255");
        RegisterReader.ScalerUnit su = RegisterReader.scalerUnit(CosemData.Structure.of(
                new CosemData.IntegerData(IntegerType.INTEGER, -1), new CosemData.EnumData(35)));
        assertThat(su).isEqualTo(new RegisterReader.ScalerUnit(-1, "V"));
        Reading r = RegisterReader.toReading("m1", voltage,
                new CosemData.IntegerData(IntegerType.LONG_UNSIGNED, 2301), su, at, ReadingStatus.OK);
        assertThat(r.scaledValue()).isEqualByComparingTo(new BigDecimal("230.1"));
        assertThat(r.display()).isEqualTo("1-0:32.7.0*255 = 230.1 V");
        assertThat(RegisterReader.toReading("m1", voltage, CosemData.NullData.INSTANCE, su, at, ReadingStatus.OK))
                .isNull();
        assertThatThrownBy(() -> RegisterReader.scalerUnit(new CosemData.EnumData(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commonCosemUnitsHaveTheirSymbols() {
        assertThat(CosemUnits.symbol(30)).isEqualTo("Wh");
        assertThat(CosemUnits.symbol(32)).isEqualTo("varh");
        assertThat(CosemUnits.symbol(27)).isEqualTo("W");
        assertThat(CosemUnits.symbol(33)).isEqualTo("A");
        assertThat(CosemUnits.symbol(35)).isEqualTo("V");
        assertThat(CosemUnits.symbol(44)).isEqualTo("Hz");
        assertThat(CosemUnits.symbol(255)).isEmpty();
        assertThat(CosemUnits.symbol(200)).isEqualTo("unit-200");
    }
}
