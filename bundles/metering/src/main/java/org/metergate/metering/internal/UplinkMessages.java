// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
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

    /** A clock-drift event: the event document plus the drift (meter minus gateway) in seconds. */
    static String event(MeterEvent e, Duration drift) {
        String plain = event(e);
        return plain.substring(0, plain.length() - 1) + ",\"driftSeconds\":"
                + BigDecimal.valueOf(drift.toMillis(), 3).stripTrailingZeros().toPlainString() + "}";
    }

    /**
     * The daily values of one local day (schema daily/v1): the register values of the meter's midnight capture
     * that starts {@code day}, and the import consumed during the day before (null when that midnight is not
     * known). The id is per meter and day, so a repeated message is recognisably the same.
     */
    static String daily(String meterId, LocalDate day, ZoneId zone, List<Reading> atMidnight, Reading consumption) {
        StringBuilder b = new StringBuilder(256 + atMidnight.size() * 160);
        b.append("{\"schema\":\"daily/v1\",\"id\":").append(Json.quote(meterId + "|daily|" + day))
                .append(",\"meter\":").append(Json.quote(meterId))
                .append(",\"day\":").append(Json.quote(day.toString()))
                .append(",\"zone\":").append(Json.quote(zone.getId()))
                .append(",\"registers\":").append(readings(atMidnight))
                .append(",\"consumption\":");
        if (consumption == null) {
            b.append("null");
        } else {
            b.append("{\"day\":").append(Json.quote(day.minusDays(1).toString()))
                    .append(",\"obis\":").append(Json.quote(consumption.obis().toString()))
                    .append(",\"value\":").append(consumption.value().toPlainString())
                    .append(",\"scaler\":").append(consumption.scaler())
                    .append(",\"unit\":").append(Json.quote(consumption.unit()))
                    .append(",\"status\":").append(Json.quote(wireName(consumption.status().name())))
                    .append('}');
        }
        return b.append('}').toString();
    }

    /** METER_UNREACHABLE becomes meter-unreachable. */
    static String wireName(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
