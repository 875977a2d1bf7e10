// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Retention;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.metergate.testing.MqttContractSchemas;

/** The validator really rejects documents that break the contract, so passing checks elsewhere mean something. */
class ContractSchemasTest {

    /** A daily/v1 outbox payload in the metering bundle's format (its own tests validate what it really writes). */
    static final String DAILY = "{\"schema\":\"daily/v1\",\"id\":\"d1|daily|2026-03-02\",\"meter\":\"d1\","
            + "\"day\":\"2026-03-02\",\"zone\":\"Z\",\"registers\":[{\"id\":\"d1|1-0:1.8.0*255|2026-03-02T00:00:00Z\","
            + "\"meter\":\"d1\",\"obis\":\"1-0:1.8.0*255\",\"value\":2157311,\"scaler\":0,\"unit\":\"Wh\","
            + "\"ts\":\"2026-03-02T00:00:00Z\",\"status\":\"ok\"}],\"consumption\":{\"day\":\"2026-03-01\","
            + "\"obis\":\"1-0:1.8.0*255\",\"value\":7415,\"scaler\":0,\"unit\":\"Wh\",\"status\":\"ok\"}}";
    /** A clock-drift event outbox payload in the metering bundle's format. */
    static final String DRIFT = "{\"schema\":\"event/v1\",\"id\":\"d1|clock-drift|2026-03-02T10:07:00.120Z\","
            + "\"meter\":\"d1\",\"type\":\"clock-drift\",\"ts\":\"2026-03-02T10:07:00.120Z\",\"detail\":\"meter clock is"
            + " 45.5 s behind the gateway clock\",\"driftSeconds\":-45.5}";

    @Test
    void dailyValuesGoOutInsideAReadingsBatchThatMatchesTheContract() throws Exception {
        MemoryOutbox outbox = new MemoryOutbox();
        outbox.append(MessageKind.READING, "d1", Retention.BILLING, "[" + UplinkPlannerTest.reading("d1", 1) + "]");
        outbox.append(MessageKind.READING, "d1", Retention.BILLING, DAILY);
        outbox.append(MessageKind.READING, "d1", Retention.BILLING, firstDay());
        Publication batch = new UplinkPlanner(outbox, 10, 65_536, 16, Duration.ZERO, new RecordingLog()).next(Instant.now())
                .publication();

        String sent = new String(batch.payload(), StandardCharsets.UTF_8);
        MqttContractSchemas.assertValid("readings.json", sent);
        JsonObject daily = JsonParser.parseString(sent).getAsJsonObject().getAsJsonArray("readings").get(1)
                .getAsJsonObject();
        assertThat(daily.get("schema").getAsString()).isEqualTo("daily/v1");
        MqttContractSchemas.assertValid("daily.json", daily.toString());
        MqttContractSchemas.assertValid("daily.json", firstDay());
    }

    /** The daily document of the first day a meter is read: the day before is unknown. */
    private static String firstDay() {
        return DAILY.substring(0, DAILY.indexOf("\"consumption\":")) + "\"consumption\":null}";
    }

    @Test
    void aClockDriftEventGoesOutWithItsDriftAsTheContractSays() throws Exception {
        MemoryOutbox outbox = new MemoryOutbox();
        outbox.append(MessageKind.EVENT, "d1", Retention.ALARM, DRIFT);
        Publication event = new UplinkPlanner(outbox, 10, 65_536, 16, Duration.ZERO, new RecordingLog()).next(Instant.now())
                .publication();

        String sent = new String(event.payload(), StandardCharsets.UTF_8);
        MqttContractSchemas.assertValid("events.json", sent);
        MqttContractSchemas.assertValid("clock-drift-event.json", sent);
    }

    @Test
    void rejectsBrokenDailyValuesAndDriftEvents() {
        assertThat(MqttContractSchemas.errors("daily.json", DAILY.replace("\"day\":\"2026-03-01\",", "")))
                .as("consumption without its day").isNotEmpty();
        assertThat(MqttContractSchemas.errors("daily.json", DAILY.replace("\"zone\":\"Z\",", ""))).isNotEmpty();
        assertThat(MqttContractSchemas.errors("daily.json", DAILY.replace("|daily|", "|day|"))).isNotEmpty();
        assertThat(MqttContractSchemas.errors("readings.json", "{\"schema\":\"readings/v1\",\"msgId\":\"x\",\"readings\":["
                + DAILY.replace("\"registers\":[", "\"registers\":[{\"meter\":\"d1\"},") + "]}"))
                .as("a daily document with a broken register").isNotEmpty();
        String msgIdAdded = DRIFT.replace("{\"schema\"", "{\"msgId\":\"e1\",\"schema\"");
        MqttContractSchemas.assertValid("clock-drift-event.json", msgIdAdded);
        assertThat(MqttContractSchemas.errors("clock-drift-event.json", msgIdAdded.replace(",\"driftSeconds\":-45.5", "")))
                .as("clock-drift without driftSeconds").isNotEmpty();
        assertThat(MqttContractSchemas.errors("clock-drift-event.json", msgIdAdded.replace("-45.5", "\"-45.5\"")))
                .isNotEmpty();
    }

    @Test
    void rejectsBrokenDocuments() {
        assertThat(MqttContractSchemas.errors("readings.json",
                "{\"schema\":\"readings/v1\",\"msgId\":\"x\",\"readings\":[{\"id\":\"1\",\"meter\":\"m1\","
                        + "\"value\":1,\"scaler\":0,\"unit\":\"kWh\",\"ts\":\"2026-01-01T00:00:00Z\",\"status\":\"ok\"}]}"))
                .anyMatch(e -> e.contains("obis"));
        assertThat(MqttContractSchemas.errors("status.json", "{\"schema\":\"status/v1\",\"msgId\":\"x\",\"state\":\"online\"}"))
                .isNotEmpty();
        assertThat(MqttContractSchemas.errors("cmd-response.json",
                "{\"schema\":\"cmd-response/v1\",\"msgId\":\"x\",\"command\":\"get-status\",\"ok\":false}"))
                .isNotEmpty();
        assertThat(MqttContractSchemas.errors("token.json", "{\"schema\":\"token/v1\",\"msgId\":\"x\",\"token\":\"abc\"}"))
                .isNotEmpty();
    }

    @Test
    void acceptsTheExamplesOfTheContract() {
        MqttContractSchemas.assertValid("status.json", "{\"schema\":\"status/v1\",\"msgId\":\"x\",\"state\":\"offline\"}");
        MqttContractSchemas.assertValid("token.json",
                "{\"schema\":\"token/v1\",\"msgId\":\"x\",\"token\":\"eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiIxIn0.c2ln\"}");
        MqttContractSchemas.assertValid("cmd-request.json", "{\"schema\":\"cmd/v1\",\"msgId\":\"q\",\"meter\":\"m1\"}");
    }
}
