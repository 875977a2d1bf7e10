// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.metergate.api.meter.MeterEvent;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.Reading;
import org.metergate.api.meter.ReadingStatus;

class UplinkMessagesTest {

    private static final Instant T = Instant.parse("2026-11-23T21:40:00Z");

    @Test
    void readingsAreAJsonArrayWithIdempotentIds() {
        String json = UplinkMessages.readings(List.of(
                Reading.numeric("m1", ObisCode.parse("1.8.0"), new BigDecimal("1234.567"), 0, "kWh", T, ReadingStatus.OK),
                Reading.text("m1", ObisCode.parse("C.1.0"), "A\"B", T, ReadingStatus.METER_FLAGGED)));

        assertThat(json).isEqualTo("[{\"id\":\"m1|1-0:1.8.0*255|2026-11-23T21:40:00Z\",\"meter\":\"m1\","
                + "\"obis\":\"1-0:1.8.0*255\",\"value\":1234.567,\"scaler\":0,\"unit\":\"kWh\","
                + "\"ts\":\"2026-11-23T21:40:00Z\",\"status\":\"ok\"},"
                + "{\"id\":\"m1|1-0:96.1.0*255|2026-11-23T21:40:00Z\",\"meter\":\"m1\",\"obis\":\"1-0:96.1.0*255\","
                + "\"value\":\"A\\\"B\",\"scaler\":0,\"unit\":\"\",\"ts\":\"2026-11-23T21:40:00Z\","
                + "\"status\":\"meter-flagged\"}]");
    }

    @Test
    void eventsNameTheirTypeInWireForm() {
        String json = UplinkMessages.event(new MeterEvent("m2", MeterEvent.Type.METER_UNREACHABLE, T, "no answer\n"));

        assertThat(json).contains("\"type\":\"meter-unreachable\"", "\"detail\":\"no answer\\n\"",
                "\"schema\":\"event/v1\"");
    }

    @Test
    void dailyValuesCarryTheMidnightRegistersAndTheDayBeforesConsumption() {
        Instant midnight = Instant.parse("2026-03-02T00:00:00Z");
        Reading imported = Reading.numeric("m1", ObisCode.parse("1-0:1.8.0.255"), new BigDecimal("5000"), 0, "Wh",
                midnight, ReadingStatus.OK);
        Reading consumed = Reading.numeric("m1", ObisCode.parse("1-0:1.8.0.255"), new BigDecimal("1200"), 0, "Wh",
                midnight, ReadingStatus.OK);

        String json = UplinkMessages.daily("m1", java.time.LocalDate.parse("2026-03-02"), java.time.ZoneOffset.UTC,
                List.of(imported), consumed);

        assertThat(json).startsWith("{\"schema\":\"daily/v1\",\"id\":\"m1|daily|2026-03-02\",\"meter\":\"m1\","
                + "\"day\":\"2026-03-02\",\"zone\":\"Z\",\"registers\":[{\"id\":\"m1|1-0:1.8.0*255|2026-03-02T00:00:00Z\"")
                .endsWith(",\"consumption\":{\"day\":\"2026-03-01\",\"obis\":\"1-0:1.8.0*255\",\"value\":1200,"
                        + "\"scaler\":0,\"unit\":\"Wh\",\"status\":\"ok\"}}");
        assertThat(UplinkMessages.daily("m1", java.time.LocalDate.parse("2026-03-02"), java.time.ZoneOffset.UTC,
                List.of(imported), null)).endsWith(",\"consumption\":null}");
    }

    @Test
    void aClockDriftEventCarriesTheDriftInSeconds() {
        String json = UplinkMessages.event(new MeterEvent("m1", MeterEvent.Type.CLOCK_DRIFT, T, "behind"),
                java.time.Duration.ofMillis(-45_250));

        assertThat(json).contains("\"type\":\"clock-drift\"").endsWith(",\"detail\":\"behind\",\"driftSeconds\":-45.25}");
    }
}
