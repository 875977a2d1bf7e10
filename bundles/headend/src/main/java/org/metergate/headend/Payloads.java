// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
import com.google.gson.JsonPrimitive;

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

    static Map<String, Object> reading(Reading r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("meter", r.meterId());
        o.put("obis", r.obis().toString());
        o.put("value", r.isNumeric() ? r.value() : r.text());
        o.put("scaler", r.scaler());
        o.put("unit", r.unit());
        o.put("ts", r.timestamp().toString());
        o.put("status", wire(r.status().name()));
        return o;
    }

    static Map<String, Object> readout(MeterReadout readout) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("meter", readout.meterId());
        o.put("identification", readout.identification());
        o.put("readAt", readout.readAt().toString());
        List<Object> list = new ArrayList<>();
        readout.readings().forEach(r -> list.add(reading(r)));
        o.put("readings", list);
        return o;
    }

    static Map<String, Object> meterStatus(MeterStatus m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("meter", m.meterId());
        o.put("protocol", m.protocol());
        o.put("link", m.link());
        o.put("state", wire(m.state().name()));
        o.put("lastSuccess", text(m.lastSuccess()));
        o.put("lastAttempt", text(m.lastAttempt()));
        o.put("nextPoll", text(m.nextPoll()));
        o.put("consecutiveFailures", m.consecutiveFailures());
        o.put("lastError", m.lastError());
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

    /** An instant as the contract writes it (ISO 8601, UTC), or null. */
    static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    /** A tree of JSON values (as in {@link org.metergate.api.command.CommandRequest}) as a Gson tree. */
    static JsonElement json(Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof String s) {
            return new JsonPrimitive(s);
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (value instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (value instanceof Map<?, ?> map) {
            JsonObject o = new JsonObject();
            map.forEach((k, v) -> o.add(String.valueOf(k), json(v)));
            return o;
        }
        if (value instanceof List<?> list) {
            JsonArray a = new JsonArray();
            list.forEach(v -> a.add(json(v)));
            return a;
        }
        throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }

    /** A parsed Gson tree as JSON values: numbers as {@link BigDecimal}, objects as ordered maps. */
    static Object values(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject()) {
            Map<String, Object> o = new LinkedHashMap<>();
            e.getAsJsonObject().entrySet().forEach(m -> o.put(m.getKey(), values(m.getValue())));
            return o;
        }
        if (e.isJsonArray()) {
            List<Object> a = new ArrayList<>();
            e.getAsJsonArray().forEach(v -> a.add(values(v)));
            return a;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            return p.getAsBigDecimal();
        }
        return p.getAsString();
    }

    /** Enum constant to wire name: {@code METER_FLAGGED} becomes {@code meter-flagged}. */
    static String wire(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
