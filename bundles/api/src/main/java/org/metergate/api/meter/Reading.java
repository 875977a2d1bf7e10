// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One value read from a meter. Numeric values carry the value as transmitted plus a decimal scaler
 * (physical value = value x 10^scaler, as in COSEM scaler_unit); IEC 62056-21 values arrive already
 * scaled and have scaler 0. Non-numeric values (serial numbers, dates) are text with no unit.
 */
public record Reading(String meterId, ObisCode obis, BigDecimal value, String text, int scaler, String unit,
        Instant timestamp, ReadingStatus status) {

    public Reading {
        Objects.requireNonNull(meterId, "meterId");
        Objects.requireNonNull(obis, "obis");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(status, "status");
        if ((value == null) == (text == null)) {
            throw new IllegalArgumentException("a reading is either numeric or text");
        }
        unit = unit == null ? "" : unit;
    }

    public static Reading numeric(String meterId, ObisCode obis, BigDecimal value, int scaler, String unit,
            Instant timestamp, ReadingStatus status) {
        return new Reading(meterId, obis, Objects.requireNonNull(value, "value"), null, scaler, unit, timestamp,
                status);
    }

    public static Reading text(String meterId, ObisCode obis, String text, Instant timestamp, ReadingStatus status) {
        return new Reading(meterId, obis, null, Objects.requireNonNull(text, "text"), 0, "", timestamp, status);
    }

    public boolean isNumeric() {
        return value != null;
    }

    /** The physical value, value x 10^scaler; only for numeric readings. */
    public BigDecimal scaledValue() {
        if (value == null) {
            throw new IllegalStateException(obis + " is a text value");
        }
        return value.scaleByPowerOfTen(scaler);
    }

    /** How a technician reads it: {@code 1-0:1.8.0*255 = 1234.567 kWh}. */
    public String display() {
        String v = isNumeric() ? scaledValue().toPlainString() : text;
        return obis + " = " + v + (unit.isEmpty() ? "" : " " + unit);
    }
}
