// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import java.util.List;
import java.util.Locale;

import org.metergate.api.meter.MeterEvent;
import org.metergate.api.meter.Reading;

/**
 * JSON payloads this bundle puts in the outbox (MQTT contract v1, docs/mqtt-contract). A readout becomes one
 * message holding an array of reading objects; each reading carries an id derived from meter, OBIS code and
 * timestamp, so the head-end can drop a reading it already has however the gateway batched it.
 */
final class UplinkMessages {

    private UplinkMessages() {
    }

    static String readings(List<Reading> readings) {
        StringBuilder b = new StringBuilder(readings.size() * 160).append('[');
        for (int i = 0; i < readings.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            appendReading(b, readings.get(i));
        }
        return b.append(']').toString();
    }

    static String readingId(Reading r) {
        return r.meterId() + "|" + r.obis() + "|" + r.timestamp();
    }

    private static void appendReading(StringBuilder b, Reading r) {
        b.append("{\"id\":").append(Json.quote(readingId(r)))
                .append(",\"meter\":").append(Json.quote(r.meterId()))
                .append(",\"obis\":").append(Json.quote(r.obis().toString()))
                .append(",\"value\":").append(r.isNumeric() ? r.value().toPlainString() : Json.quote(r.text()))
                .append(",\"scaler\":").append(r.scaler())
                .append(",\"unit\":").append(Json.quote(r.unit()))
                .append(",\"ts\":").append(Json.quote(r.timestamp().toString()))
                .append(",\"status\":").append(Json.quote(wireName(r.status().name())))
                .append('}');
    }

    static String event(MeterEvent e) {
        return "{\"schema\":\"event/v1\",\"id\":" + Json.quote(e.meterId() + "|" + wireName(e.type().name()) + "|" + e.at())
                + ",\"meter\":" + Json.quote(e.meterId())
                + ",\"type\":" + Json.quote(wireName(e.type().name()))
                + ",\"ts\":" + Json.quote(e.at().toString())
                + ",\"detail\":" + Json.quote(e.detail()) + "}";
    }

    /** METER_UNREACHABLE becomes meter-unreachable. */
    static String wireName(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
