// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.Reading;
import org.metergate.api.meter.ReadingStatus;

/**
 * Turns the data lines of an IEC 62056-21 readout ({@code 1.8.0(001234.567*kWh)}) into typed readings.
 * Numeric values keep their decimals as sent (scaler 0); anything else is a text reading. A non-zero error
 * register F.F flags every value of that readout, because the meter itself says it is not sure of them.
 */
final class ReadoutConverter {

    static final ObisCode ERROR_REGISTER = ObisCode.parse("F.F");

    /** One data line as the protocol library returns it. */
    record DataLine(String address, String value, String unit) {
    }

    /** Result of a conversion: readings plus the lines that were not understood (kept for the log). */
    record Converted(List<Reading> readings, List<String> skipped) {
    }

    private ReadoutConverter() {
    }

    static Converted convert(String meterId, List<DataLine> lines, Instant readAt) {
        boolean flagged = lines.stream().anyMatch(ReadoutConverter::isErrorFlagSet);
        ReadingStatus status = flagged ? ReadingStatus.METER_FLAGGED : ReadingStatus.OK;
        List<Reading> readings = new ArrayList<>(lines.size());
        List<String> skipped = new ArrayList<>();
        for (DataLine line : lines) {
            ObisCode obis;
            try {
                obis = ObisCode.parse(line.address());
            } catch (IllegalArgumentException e) {
                skipped.add(line.address() + "(" + line.value() + ")");
                continue;
            }
            String value = line.value() == null ? "" : line.value().trim();
            BigDecimal number = parseNumber(value);
            readings.add(number != null
                    ? Reading.numeric(meterId, obis, number, 0, line.unit(), readAt, status)
                    : Reading.text(meterId, obis, value, readAt, status));
        }
        return new Converted(readings, skipped);
    }

    private static boolean isErrorFlagSet(DataLine line) {
        try {
            if (!ObisCode.parse(line.address()).equals(ERROR_REGISTER)) {
                return false;
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        String v = line.value() == null ? "" : line.value().trim();
        return !v.isEmpty() && !v.chars().allMatch(c -> c == '0');
    }

    /** Plain decimal numbers only: identifiers such as serial numbers with leading zeros stay numbers too. */
    private static BigDecimal parseNumber(String value) {
        if (value.isEmpty() || !value.matches("[+-]?\\d+(\\.\\d+)?")) {
            return null;
        }
        return new BigDecimal(value);
    }
}
