// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.model;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * A household's power per simulated minute: night base load, morning and evening peaks, minute-level
 * noise, occasional appliance spikes and, for some meters, rooftop PV that can push the net flow into
 * export. Every value is a pure function of (seed, meter id, minute), so runs are reproducible.
 */
final class HouseholdLoad {

    private final long key;
    private final ZoneId zone;
    private final double baseW;
    private final double morningPeakW;
    private final double eveningPeakW;
    private final double pvPeakW;

    HouseholdLoad(long seed, String meterId, ZoneId zone) {
        this.key = Noise.mix(seed * 0x9E3779B97F4A7C15L ^ meterId.hashCode());
        this.zone = zone;
        this.baseW = 120 + 200 * Noise.unit(key, 1);
        this.morningPeakW = 500 + 900 * Noise.unit(key, 2);
        this.eveningPeakW = 1000 + 1500 * Noise.unit(key, 3);
        this.pvPeakW = Noise.unit(key, 4) < 0.34 ? 2000 + 3000 * Noise.unit(key, 5) : 0;
    }

    long key() {
        return key;
    }

    boolean hasPv() {
        return pvPeakW > 0;
    }

    /** Net power in watts during the given epoch minute; positive = import, negative = export. */
    double netPowerW(long epochMinute) {
        LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochSecond(epochMinute * 60), zone);
        double hour = local.getHour() + local.getMinute() / 60.0;
        double shape = baseW
                + morningPeakW * bell(hour, 7.5, 1.0)
                + 0.3 * morningPeakW * bell(hour, 13.0, 1.5)
                + eveningPeakW * bell(hour, 19.5, 1.6);
        double noisy = shape * (1 + 0.25 * Noise.signed(key, 100, epochMinute));
        if (Noise.unit(key ^ 0x5A5A5A5AL, 101, epochMinute) < 0.03) {
            noisy += 2000; // kettle, oven, washing machine heater
        }
        return Math.max(30, noisy) - pvW(local, hour);
    }

    private double pvW(LocalDateTime local, double hour) {
        if (pvPeakW == 0 || hour < 6 || hour > 19) {
            return 0;
        }
        double sun = Math.pow(Math.max(0, Math.sin(Math.PI * (hour - 6) / 13)), 1.5);
        double clouds = 0.3 + 0.7 * Noise.unit(key, 200, local.toLocalDate().toEpochDay());
        return pvPeakW * sun * clouds;
    }

    double voltageV(long epochMinute, double netPowerW) {
        return 230 + 3 * Noise.signed(key, 300, epochMinute) - 1.5 * netPowerW / 1000;
    }

    double frequencyHz(long epochMinute) {
        return 50 + 0.03 * Noise.signed(key, 400, epochMinute);
    }

    private static double bell(double x, double centre, double width) {
        double d = (x - centre) / width;
        return Math.exp(-0.5 * d * d);
    }
}
