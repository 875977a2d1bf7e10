// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Deterministic household consumption in 15-minute slots: a daily load shape, a weekend bump and seeded noise,
 * plus optional rooftop solar export around noon. The same seed and slot always give the same energy, so months of
 * load-profile history need no storage and stay consistent with the registers across restarts.
 */
public final class SlotConsumptionModel {

    public static final long SLOT_SECONDS = 900;

    /** Relative load per local hour: low at night, peaks in the morning and evening. */
    private static final double[] HOURLY_SHAPE = { 0.45, 0.4, 0.38, 0.37, 0.38, 0.45, 0.8, 1.3, 1.2, 0.9, 0.8, 0.85,
            1.0, 0.9, 0.8, 0.8, 0.95, 1.3, 1.8, 1.9, 1.6, 1.2, 0.8, 0.55 };

    private final long seed;
    private final double averagePowerWatts;
    private final double solarPeakWatts;
    private final ZoneOffset zone;

    public SlotConsumptionModel(long seed, double averagePowerWatts, double solarPeakWatts, ZoneOffset zone) {
        if (averagePowerWatts <= 0 || solarPeakWatts < 0) {
            throw new IllegalArgumentException("average power must be > 0 W and solar peak >= 0 W");
        }
        this.seed = seed;
        this.averagePowerWatts = averagePowerWatts;
        this.solarPeakWatts = solarPeakWatts;
        this.zone = zone;
    }

    public static long slotOf(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), SLOT_SECONDS);
    }

    public static Instant slotStart(long slot) {
        return Instant.ofEpochSecond(slot * SLOT_SECONDS);
    }

    /** Active energy imported during {@code slot}, in Wh. */
    public long importWh(long slot) {
        LocalDateTime local = LocalDateTime.ofInstant(slotStart(slot), zone);
        double shape = HOURLY_SHAPE[local.getHour()];
        DayOfWeek day = local.getDayOfWeek();
        double weekend = (day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY) ? 1.15 : 1.0;
        double noise = 0.7 + 0.6 * unit(slot, 1);
        return Math.round(averagePowerWatts * shape * weekend * noise * SLOT_SECONDS / 3600.0);
    }

    /** Active energy exported during {@code slot}, in Wh (zero without solar). */
    public long exportWh(long slot) {
        if (solarPeakWatts == 0) {
            return 0;
        }
        LocalDateTime local = LocalDateTime.ofInstant(slotStart(slot), zone);
        double hour = local.getHour() + local.getMinute() / 60.0 + 0.125;
        if (hour < 6 || hour > 18) {
            return 0;
        }
        double sun = Math.sin(Math.PI * (hour - 6) / 12);
        double clouds = 0.5 + 0.5 * unit(slot / 8, 2);
        double surplus = solarPeakWatts * sun * clouds - averagePowerWatts * 0.6;
        return Math.max(0, Math.round(surplus * SLOT_SECONDS / 3600.0));
    }

    /** True when {@code slot} belongs to tariff 2 (night, 23:00 to 07:00 local), else tariff 1. */
    public boolean isNightTariff(long slot) {
        int hour = LocalDateTime.ofInstant(slotStart(slot), zone).getHour();
        return hour >= 23 || hour < 7;
    }

    /** Instantaneous active power during {@code slot}, in W, consistent with {@link #importWh(long)}. */
    public long powerWatts(long slot) {
        return Math.round(importWh(slot) * 3600.0 / SLOT_SECONDS);
    }

    /** A stable pseudo-random value in [0, 1) for (slot, stream). */
    public double unit(long slot, int stream) {
        long z = seed * 0x9E3779B97F4A7C15L + slot * 0xBF58476D1CE4E5B9L + stream * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) / (double) (1L << 53);
    }
}
