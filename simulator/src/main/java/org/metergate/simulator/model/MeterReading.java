// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.model;

import java.time.Instant;

/**
 * What the meter measures at one simulated instant. Energy registers are whole watt-hours, as the
 * display shows them; the import total is the sum of the tariff registers, so the three always agree.
 *
 * @param importPowerW active power drawn from the grid (1.7.0)
 * @param exportPowerW active power fed into the grid (2.7.0)
 * @param currentA     line current, consistent with P ≈ U·I at unity power factor
 */
public record MeterReading(Instant at, long importDayWh, long importNightWh, long exportWh,
        double importPowerW, double exportPowerW, double voltageV, double currentA, double frequencyHz) {

    /** 1.8.0: import total = day tariff (1.8.1) + night tariff (1.8.2). */
    public long importTotalWh() {
        return importDayWh + importNightWh;
    }
}
