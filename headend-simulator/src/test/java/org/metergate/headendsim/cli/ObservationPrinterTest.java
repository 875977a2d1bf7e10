// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.metergate.headendsim.Observation;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class ObservationPrinterTest {

    private final ObservationPrinter printer = new ObservationPrinter();

    private static Observation obs(String topic, String json) {
        JsonObject p = json.startsWith("{") ? JsonParser.parseString(json).getAsJsonObject() : null;
        return new Observation("gw1", topic, p, json, false, Instant.parse("2026-01-01T12:34:56Z"));
    }

    @Test
    void readingsAreScaledAndOneLineEach() {
        assertThat(printer.lines(obs("readings", "{\"readings\":[{\"meter\":\"m1\",\"obis\":\"1-0:1.8.0*255\","
                + "\"value\":123456,\"scaler\":-3,\"unit\":\"kWh\",\"ts\":\"2026-01-01T00:00:00Z\",\"status\":\"ok\"},"
                + "{\"meter\":\"m1\",\"obis\":\"0-0:96.1.0*255\",\"value\":\"SN-1\",\"scaler\":0,\"unit\":\"\","
                + "\"ts\":\"2026-01-01T00:00:00Z\",\"status\":\"ok\"}]}")))
                .containsExactly("12:34:56 gw1 reading m1 1-0:1.8.0*255 = 123.456 kWh at 2026-01-01T00:00:00Z [ok]",
                        "12:34:56 gw1 reading m1 0-0:96.1.0*255 = SN-1  at 2026-01-01T00:00:00Z [ok]");
    }

    @Test
    void dailyValuesAreShownAsSuchAndNotAsReadings() {
        String daily = "{\"schema\":\"daily/v1\",\"id\":\"d1|daily|2026-03-02\",\"meter\":\"d1\",\"day\":\"2026-03-02\","
                + "\"zone\":\"Z\",\"registers\":[{\"id\":\"d1|1-0:1.8.0*255|2026-03-02T00:00:00Z\",\"meter\":\"d1\","
                + "\"obis\":\"1-0:1.8.0*255\",\"value\":2157311,\"scaler\":0,\"unit\":\"Wh\",\"ts\":"
                + "\"2026-03-02T00:00:00Z\",\"status\":\"ok\"}],\"consumption\":{\"day\":\"2026-03-01\","
                + "\"obis\":\"1-0:1.8.0*255\",\"value\":7415,\"scaler\":0,\"unit\":\"Wh\",\"status\":\"ok\"}}";
        String reading = "{\"meter\":\"d1\",\"obis\":\"1-0:1.8.0*255\",\"value\":2157400,\"scaler\":0,\"unit\":\"Wh\","
                + "\"ts\":\"2026-03-02T00:15:00Z\",\"status\":\"ok\"}";
        Observation o = obs("readings", "{\"readings\":[" + reading + "," + daily + "]}");
        assertThat(printer.lines(o)).containsExactly(
                "12:34:56 gw1 reading d1 1-0:1.8.0*255 = 2157400 Wh at 2026-03-02T00:15:00Z [ok]",
                "12:34:56 gw1 daily d1 2026-03-02 (Z): 1-0:1.8.0*255 = 2157311 Wh; consumption 2026-03-01 = 7415 Wh");
        assertThat(new ObservationPrinter(List.of("1-0:1.8.0*255")).lines(o)).containsExactly(
                "12:34:56 gw1 readings d1: 1 value at 2026-03-02T00:15:00Z [ok]; 1-0:1.8.0*255 = 2157400 Wh",
                "12:34:56 gw1 daily d1 2026-03-02 (Z): 1-0:1.8.0*255 = 2157311 Wh; consumption 2026-03-01 = 7415 Wh");
    }

    @Test
    void aRejectedPayloadIsShownWithItsReason() {
        Observation o = new Observation("gw1", "readings", null, "", false, Instant.parse("2026-01-01T12:34:56Z"),
                "gzip payload of 20 bytes is corrupt or truncated (Unexpected end of ZLIB input stream); rejected");
        assertThat(printer.lines(o)).containsExactly("12:34:56 gw1 readings REJECTED: gzip payload of 20 bytes is"
                + " corrupt or truncated (Unexpected end of ZLIB input stream); rejected");
    }

    @Test
    void eventsReceiptsAndStatus() {
        assertThat(printer.lines(obs("events", "{\"type\":\"low-credit\",\"meter\":\"m1\",\"detail\":\"below 5.00\"}")))
                .containsExactly("12:34:56 gw1 event low-credit meter m1: below 5.00");
        assertThat(printer.lines(obs("credit/receipts",
                "{\"token\":\"t1\",\"meter\":\"m1\",\"stage\":\"balance\",\"balance\":2500,\"currency\":\"EUR\"}")))
                .containsExactly("12:34:56 gw1 receipt token t1 meter m1 balance: 25.00 EUR");
        assertThat(printer.lines(obs("status", "{\"state\":\"offline\",\"reason\":\"link-lost\"}")))
                .containsExactly("12:34:56 gw1 status offline (link-lost)");
    }

    @Test
    void inSummaryABatchIsOneLinePerMeterWithItsKeyRegisters() {
        ObservationPrinter summary = new ObservationPrinter(List.of("1-0:1.8.0*255", "0-0:19.0.0*255"));
        String profile = "{\"meter\":\"d1\",\"obis\":\"1-0:1.8.0*255\",\"value\":%d,\"scaler\":0,\"unit\":\"Wh\","
                + "\"ts\":\"%s\",\"status\":\"ok\"}";
        String batch = "{\"readings\":[" + String.format(profile, 100, "2026-01-01T00:00:00Z") + ","
                + String.format(profile, 150, "2026-01-01T00:15:00Z") + ","
                + "{\"meter\":\"d1\",\"obis\":\"0-0:19.0.0*255\",\"value\":1996,\"scaler\":-2,\"unit\":\"EUR\","
                + "\"ts\":\"2026-01-01T00:15:00Z\",\"status\":\"clock-uncertain\"},"
                + "{\"meter\":\"m1\",\"obis\":\"1-0:32.7.0*255\",\"value\":2284,\"scaler\":-1,\"unit\":\"V\","
                + "\"ts\":\"2026-01-01T00:00:00Z\",\"status\":\"ok\"}]}";

        assertThat(summary.lines(obs("readings", batch))).containsExactly(
                "12:34:56 gw1 readings d1: 3 values at 2026-01-01T00:00:00Z .. 2026-01-01T00:15:00Z"
                        + " [clock-uncertain, ok]; 1-0:1.8.0*255 = 150 Wh, 0-0:19.0.0*255 = 19.96 EUR",
                "12:34:56 gw1 readings m1: 1 value at 2026-01-01T00:00:00Z [ok]");
    }

    @Test
    void receiptsShowMoneyAndTheGatewaysDetail() {
        assertThat(printer.lines(obs("credit/receipts", "{\"token\":\"t1\",\"meter\":\"d1\",\"stage\":\"rejected\","
                + "\"detail\":\"unknown-key: kid 'x' is not a configured head-end key\",\"balance\":null}")))
                .containsExactly("12:34:56 gw1 receipt token t1 meter d1 rejected: unknown-key: kid 'x' is not a"
                        + " configured head-end key");
        assertThat(printer.lines(obs("credit/receipts", "{\"token\":\"t1\",\"meter\":\"d1\",\"stage\":"
                + "\"meter-result\",\"detail\":\"3 execution-ok\"}")))
                .containsExactly("12:34:56 gw1 receipt token t1 meter d1 meter-result: 3 execution-ok");
    }

    @Test
    void somethingUnreadableIsShownAsItCame() {
        assertThat(printer.lines(obs("events", "<xml/>")))
                .containsExactly("12:34:56 gw1 events (not a JSON object): <xml/>");
    }
}
