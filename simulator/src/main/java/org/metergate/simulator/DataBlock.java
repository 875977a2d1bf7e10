// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.metergate.simulator.model.MeterReading;

/** The data sets a meter reports, in readout order, as {@code address -> value[*unit]}. */
public final class DataBlock {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyMMdd");

    private final Map<String, String> dataSets;

    private DataBlock(Map<String, String> dataSets) {
        this.dataSets = dataSets;
    }

    public static DataBlock of(SimulatedMeter meter, MeterReading r) {
        LocalDateTime local = LocalDateTime.ofInstant(r.at(), meter.model().zone());
        Map<String, String> sets = new LinkedHashMap<>();
        sets.put("0.0.0", meter.serialNumber());
        sets.put("C.1.0", meter.serialNumber());
        sets.put("0.9.1", TIME.format(local));
        sets.put("0.9.2", DATE.format(local));
        sets.put("1.8.0", kWh(r.importTotalWh()));
        sets.put("1.8.1", kWh(r.importDayWh()));
        sets.put("1.8.2", kWh(r.importNightWh()));
        sets.put("2.8.0", kWh(r.exportWh()));
        sets.put("32.7.0", String.format(Locale.ROOT, "%05.1f*V", r.voltageV()));
        sets.put("31.7.0", String.format(Locale.ROOT, "%06.2f*A", r.currentA()));
        sets.put("1.7.0", String.format(Locale.ROOT, "%06.3f*kW", r.importPowerW() / 1000));
        sets.put("2.7.0", String.format(Locale.ROOT, "%06.3f*kW", r.exportPowerW() / 1000));
        sets.put("14.7.0", String.format(Locale.ROOT, "%05.2f*Hz", r.frequencyHz()));
        sets.put("F.F", "00000000");
        return new DataBlock(sets);
    }

    private static String kWh(long wh) {
        return String.format(Locale.ROOT, "%06d.%03d*kWh", wh / 1000, wh % 1000);
    }

    public Map<String, String> dataSets() {
        return Map.copyOf(dataSets);
    }

    /** {@code value[*unit]} of one address, or {@code null}. */
    public String value(String address) {
        return dataSets.get(address);
    }

    /** The readout text between STX and ETX: one {@code address(value)} per line, then {@code !\r\n}. */
    public String readoutText() {
        StringBuilder sb = new StringBuilder();
        dataSets.forEach((address, value) -> sb.append(address).append('(').append(value).append(")\r\n"));
        return sb.append("!\r\n").toString();
    }
}
