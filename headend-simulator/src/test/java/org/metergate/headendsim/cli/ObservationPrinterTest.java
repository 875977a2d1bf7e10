// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

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
    void somethingUnreadableIsShownAsItCame() {
        assertThat(printer.lines(obs("events", "<xml/>")))
                .containsExactly("12:34:56 gw1 events (not a JSON object): <xml/>");
    }
}
