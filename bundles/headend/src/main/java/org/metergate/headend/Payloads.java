// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.metergate.api.credit.Receipt;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.Reading;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/** The JSON documents of the MQTT contract v1 (see docs/mqtt-contract). */
final class Payloads {

    static final String STATUS = "status/v1";
    static final String READINGS = "readings/v1";
    static final String EVENTS = "event/v1";
    static final String RECEIPTS = "receipt/v1";
    static final String CMD_RESPONSE = "cmd-response/v1";

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private Payloads() {
    }

    static byte[] bytes(JsonElement json) {
        return GSON.toJson(json).getBytes(StandardCharsets.UTF_8);
    }

    static String text(JsonElement json) {
        return GSON.toJson(json);
    }

    static JsonObject envelope(String schema, String msgId) {
        JsonObject o = new JsonObject();
        o.addProperty("schema", schema);
        o.addProperty("msgId", msgId);
        return o;
    }

    static JsonObject online(String msgId, String gatewayId, String version, List<MeterStatus> meters, Instant at) {
        JsonObject o = envelope(STATUS, msgId);
        o.addProperty("state", "online");
        o.addProperty("gateway", gatewayId);
        o.addProperty("version", version);
        o.addProperty("ts", at.toString());
        JsonArray list = new JsonArray();
        for (MeterStatus m : meters) {
            JsonObject j = new JsonObject();
            j.addProperty("meter", m.meterId());
            j.addProperty("protocol", m.protocol());
            j.addProperty("state", wire(m.state().name()));
            list.add(j);
        }
        o.add("meters", list);
        return o;
    }

    static JsonObject offline(String msgId, String gatewayId, String reason) {
        JsonObject o = envelope(STATUS, msgId);
        o.addProperty("state", "offline");
        o.addProperty("gateway", gatewayId);
        o.addProperty("reason", reason);
        return o;
    }

    static JsonObject reading(Reading r) {
        JsonObject o = new JsonObject();
        o.addProperty("meter", r.meterId());
        o.addProperty("obis", r.obis().toString());
        if (r.isNumeric()) {
            o.addProperty("value", r.value());
        } else {
            o.addProperty("value", r.text());
        }
        o.addProperty("scaler", r.scaler());
        o.addProperty("unit", r.unit());
        o.addProperty("ts", r.timestamp().toString());
        o.addProperty("status", wire(r.status().name()));
        return o;
    }

    static JsonObject readout(MeterReadout readout) {
        JsonObject o = new JsonObject();
        o.addProperty("meter", readout.meterId());
        o.addProperty("identification", readout.identification());
        o.addProperty("readAt", readout.readAt().toString());
        JsonArray list = new JsonArray();
        readout.readings().forEach(r -> list.add(reading(r)));
        o.add("readings", list);
        return o;
    }

    static JsonObject meterStatus(MeterStatus m) {
        JsonObject o = new JsonObject();
        o.addProperty("meter", m.meterId());
        o.addProperty("protocol", m.protocol());
        o.addProperty("link", m.link());
        o.addProperty("state", wire(m.state().name()));
        o.add("lastSuccess", instant(m.lastSuccess()));
        o.add("lastAttempt", instant(m.lastAttempt()));
        o.add("nextPoll", instant(m.nextPoll()));
        o.addProperty("consecutiveFailures", m.consecutiveFailures());
        o.addProperty("lastError", m.lastError());
        return o;
    }

    /** A receipt as queued in the outbox; the link adds {@code msgId} when it sends it. */
    static JsonObject receipt(Receipt r) {
        JsonObject o = new JsonObject();
        o.addProperty("schema", RECEIPTS);
        o.addProperty("token", r.tokenId());
        o.addProperty("meter", r.meterId());
        o.addProperty("stage", r.stage().wireName());
        o.addProperty("detail", r.detail());
        o.addProperty("balance", r.balanceMinor());
        o.addProperty("currency", r.currency());
        o.addProperty("ts", r.at().toString());
        return o;
    }

    static JsonObject commandOk(String msgId, String command, String requestMsgId, JsonElement result) {
        JsonObject o = envelope(CMD_RESPONSE, msgId);
        o.addProperty("command", command);
        o.addProperty("requestMsgId", requestMsgId);
        o.addProperty("ok", true);
        o.add("result", result);
        return o;
    }

    static JsonObject commandError(String msgId, String command, String requestMsgId, String code, String message) {
        JsonObject o = envelope(CMD_RESPONSE, msgId);
        o.addProperty("command", command);
        o.addProperty("requestMsgId", requestMsgId);
        o.addProperty("ok", false);
        JsonObject error = new JsonObject();
        error.addProperty("code", code);
        error.addProperty("message", message);
        o.add("error", error);
        return o;
    }

    static JsonElement instant(Instant i) {
        return i == null ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(i.toString());
    }

    /** Enum constant to wire name: {@code METER_FLAGGED} becomes {@code meter-flagged}. */
    static String wire(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
