// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.Reading;

/**
 * What a prepaid meter's values mean, in words for the technician and the log: the available credit (account
 * 0-0:19.0.0.255, read as IC 111 attribute 5), the relay (disconnect control 0-0:96.3.10.255 output state,
 * 1 = connected) and the consumption of the last complete day.
 */
final class PlainWords {

    static final ObisCode CREDIT = ObisCode.parse("0-0:19.0.0.255");
    static final ObisCode RELAY = ObisCode.parse("0-0:96.3.10.255");

    private PlainWords() {
    }

    /** "credit 19.85 EUR, relay connected (supply on)"; empty when the readout has neither value. */
    static String prepaid(MeterReadout readout) {
        List<String> parts = new ArrayList<>(2);
        for (Reading r : readout.readings()) {
            if (r.isNumeric() && r.obis().equals(CREDIT)) {
                parts.add("credit " + r.scaledValue().toPlainString() + (r.unit().isEmpty() ? "" : " " + r.unit()));
            }
        }
        for (Reading r : readout.readings()) {
            if (r.isNumeric() && r.obis().equals(RELAY)) {
                parts.add(relay(r.scaledValue()));
            }
        }
        return String.join(", ", parts);
    }

    static String relay(BigDecimal outputState) {
        if (outputState.compareTo(BigDecimal.ONE) == 0) {
            return "relay connected (supply on)";
        }
        if (outputState.signum() == 0) {
            return "relay disconnected (supply off)";
        }
        return "relay state " + outputState.toPlainString() + " (not 0 or 1)";
    }

    /** Energy for people: Wh above 1000 and kWh with three decimals as kWh, anything else as it came. */
    static String energy(BigDecimal physical, String unit) {
        if ("Wh".equals(unit)) {
            return physical.movePointLeft(3).setScale(3, RoundingMode.HALF_UP).toPlainString() + " kWh";
        }
        return physical.toPlainString() + (unit.isEmpty() ? "" : " " + unit);
    }

    /** "used 7.415 kWh on 2026-03-01", from the {@link CosemReads} state of a meter; empty when not known yet. */
    static String lastDailyConsumption(Map<String, String> state) {
        String day = state.get(CosemReads.DAILY_DAY);
        String consumption = state.get(CosemReads.DAILY_CONSUMPTION);
        if (day == null || consumption == null || consumption.isBlank()) {
            return "";
        }
        String[] valueAndUnit = consumption.split(" ", 2);
        try {
            String used = energy(new BigDecimal(valueAndUnit[0]), valueAndUnit.length > 1 ? valueAndUnit[1] : "");
            return "used " + used + " on " + LocalDate.parse(day).minusDays(1);
        } catch (RuntimeException e) {
            return "daily consumption '" + consumption + "' of " + day + " is unreadable";
        }
    }
}
