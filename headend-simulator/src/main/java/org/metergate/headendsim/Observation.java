// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import java.time.Instant;

import com.google.gson.JsonObject;

/**
 * One message the head-end received from a gateway, after de-duplication.
 *
 * @param gateway  the gateway id (third topic level)
 * @param topic    the topic below {@code mg/v1/<gateway>/}, e.g. {@code readings} or {@code credit/receipts}
 * @param payload  the JSON document, or {@code null} if the payload was not a JSON object
 * @param raw      the payload as text
 * @param retained whether the broker delivered it as a retained message
 * @param arrived  when this head-end received it
 */
public record Observation(String gateway, String topic, JsonObject payload, String raw, boolean retained,
        Instant arrived) {

    /** The {@code msgId} field, or {@code null}. */
    public String msgId() {
        return payload != null && payload.has("msgId") && payload.get("msgId").isJsonPrimitive()
                ? payload.get("msgId").getAsString() : null;
    }
}
