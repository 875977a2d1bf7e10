// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * One message the head-end received from a gateway, after de-duplication.
 *
 * @param gateway  the gateway id (third topic level)
 * @param topic    the topic below {@code mg/v1/<gateway>/}, e.g. {@code readings} or {@code credit/receipts}
 * @param payload  the JSON document, or {@code null} if the payload was not a JSON object
 * @param raw      the payload as text (inflated when it came compressed; empty when rejected)
 * @param retained whether the broker delivered it as a retained message
 * @param arrived  when this head-end received it
 * @param rejected why the payload could not be read (unknown or corrupt compression, too large), or {@code null}
 */
public record Observation(String gateway, String topic, JsonObject payload, String raw, boolean retained,
        Instant arrived, String rejected) {

    /** The schema of a DLMS meter's daily values, sent as an element of a readings/v1 batch. */
    public static final String DAILY = "daily/v1";

    /** A message whose payload was read. */
    public Observation(String gateway, String topic, JsonObject payload, String raw, boolean retained,
            Instant arrived) {
        this(gateway, topic, payload, raw, retained, arrived, null);
    }

    /** The readings of a readings/v1 batch: its elements without a {@code schema} (daily/v1 documents are not). */
    public List<JsonObject> readings() {
        return elements(null);
    }

    /** The daily/v1 documents of a readings/v1 batch. */
    public List<JsonObject> dailyValues() {
        return elements(DAILY);
    }

    /** Elements of the batch's {@code readings} list with {@code schema} (null: without one). */
    private List<JsonObject> elements(String schema) {
        List<JsonObject> out = new ArrayList<>();
        JsonElement list = payload == null ? null : payload.get("readings");
        if (list == null || !list.isJsonArray()) {
            return out;
        }
        for (JsonElement e : list.getAsJsonArray()) {
            if (e.isJsonObject()) {
                JsonElement s = e.getAsJsonObject().get("schema");
                String elementSchema = s != null && s.isJsonPrimitive() ? s.getAsString() : null;
                if (schema == null ? elementSchema == null : schema.equals(elementSchema)) {
                    out.add(e.getAsJsonObject());
                }
            }
        }
        return out;
    }

    /** The {@code msgId} field, or {@code null}. */
    public String msgId() {
        return payload != null && payload.has("msgId") && payload.get("msgId").isJsonPrimitive()
                ? payload.get("msgId").getAsString() : null;
    }
}
