// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.OutboxMessage;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * One key per outbox message that can be computed on both ends: from the outbox row, and from what the
 * head-end received. Readings travel in batches whose msgId depends on how they were cut, so a readings
 * message is keyed by its IEC 62056-21 readout, {@code meter|ts} (all readings of one readout carry the
 * readout's time; reading ids are {@code meter|obis|ts}). Events and receipts travel alone and keep the
 * outbox msgId (unless their payload brings its own).
 */
final class DeliveryKeys {

    private DeliveryKeys() {
    }

    static String readout(JsonObject reading) {
        return reading.get("meter").getAsString() + "|" + reading.get("ts").getAsString();
    }

    /** The readout a reading id {@code meter|obis|ts} belongs to. */
    static String readoutOfReadingId(String readingId) {
        int first = readingId.indexOf('|');
        int last = readingId.lastIndexOf('|');
        if (first < 0 || last == first) {
            throw new AssertionError("reading id '" + readingId + "' is not meter|obis|ts");
        }
        return readingId.substring(0, first) + readingId.substring(last);
    }

    static String of(OutboxMessage m) {
        JsonElement doc = JsonParser.parseString(m.payload());
        if (m.kind() == MessageKind.READING) {
            JsonArray readings = doc.getAsJsonArray();
            String key = null;
            for (JsonElement r : readings) {
                String k = readout(r.getAsJsonObject());
                if (key != null && !key.equals(k)) {
                    throw new AssertionError("outbox message " + m.msgId() + " holds more than one readout: " + m.payload());
                }
                key = k;
            }
            if (key == null) {
                throw new AssertionError("outbox message " + m.msgId() + " holds no readings");
            }
            return key;
        }
        JsonObject o = doc.getAsJsonObject();
        return o.has("msgId") ? o.get("msgId").getAsString() : m.msgId();
    }
}
