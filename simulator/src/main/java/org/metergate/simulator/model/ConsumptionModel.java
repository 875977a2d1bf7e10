// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.model;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * One meter's consumption: power is piecewise constant per simulated minute, and the energy registers
 * are its exact integral on that minute grid, so they are monotonic, independent of when they are read,
 * and the import total always equals the sum of the tariffs. Day tariff (1.8.1) 07:00–23:00 local time,
 * night tariff (1.8.2) otherwise. Thread-safe.
 */
public final class ConsumptionModel {

    private static final LocalTime DAY_TARIFF_START = LocalTime.of(7, 0);
    private static final LocalTime DAY_TARIFF_END = LocalTime.of(23, 0);

    private final HouseholdLoad load;
    private final ZoneId zone;
    private final SimulationClock clock;

    private long integratedUntilMinute;
    private double importDayWh;
    private double importNightWh;
    private double exportWh;
    private Instant lastRead;

    /**
     * @param restored register totals from a state file, or {@code null} to start from seeded totals.
     *                 Simulated time resumes at the later of the stored instant and the configured start,
     *                 so registers never run backwards across a restart.
     */
    public ConsumptionModel(ModelSettings settings, String meterId, RegisterState restored) {
        this.zone = settings.zone();
        this.load = new HouseholdLoad(settings.seed(), meterId, zone);
        Instant configuredStart = settings.simulatedStart() != null ? settings.simulatedStart()
                : settings.realClock().instant();
        Instant start;
        if (restored == null) {
            start = configuredStart;
            double importTotal = 1_000_000 + 15_000_000 * Noise.unit(load.key(), 10);
            importDayWh = importTotal * (0.6 + 0.1 * Noise.unit(load.key(), 11));
            importNightWh = importTotal - importDayWh;
            exportWh = load.hasPv() ? 3_000_000 * Noise.unit(load.key(), 12) : 0;
            integratedUntilMinute = Math.floorDiv(start.getEpochSecond(), 60);
        } else {
            start = restored.at().isAfter(configuredStart) ? restored.at() : configuredStart;
            importDayWh = restored.importDayWh();
            importNightWh = restored.importNightWh();
            exportWh = restored.exportWh();
            integratedUntilMinute = Math.floorDiv(restored.at().getEpochSecond(), 60);
        }
        this.lastRead = start;
        this.clock = new SimulationClock(settings.realClock(), start, settings.speedUp());
    }

    public SimulationClock clock() {
        return clock;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The reading at the current simulated instant. */
    public MeterReading read() {
        return readAt(clock.now());
    }

    /** The reading at a simulated instant; an instant before the last one read is treated as the last one. */
    public synchronized MeterReading readAt(Instant when) {
        Instant at = when.isBefore(lastRead) ? lastRead : when;
        lastRead = at;
        long minute = Math.floorDiv(at.getEpochSecond(), 60);
        while (integratedUntilMinute < minute) {
            accumulate(integratedUntilMinute);
            integratedUntilMinute++;
        }
        double partialHours = (at.getEpochSecond() - minute * 60 + at.getNano() / 1e9) / 3600.0;
        double net = load.netPowerW(minute);
        double day = importDayWh;
        double night = importNightWh;
        double export = exportWh;
        if (net >= 0) {
            if (isDayTariff(minute)) {
                day += net * partialHours;
            } else {
                night += net * partialHours;
            }
        } else {
            export += -net * partialHours;
        }
        double voltage = load.voltageV(minute, net);
        return new MeterReading(at, (long) day, (long) night, (long) export, Math.max(0, net), Math.max(0, -net),
                voltage, Math.abs(net) / voltage, load.frequencyHz(minute));
    }

    /** Register totals on the minute grid, for persisting. */
    public synchronized RegisterState state() {
        return new RegisterState(Instant.ofEpochSecond(integratedUntilMinute * 60), importDayWh, importNightWh,
                exportWh);
    }

    private void accumulate(long minute) {
        double wh = load.netPowerW(minute) / 60; // one minute at constant power
        if (wh >= 0) {
            if (isDayTariff(minute)) {
                importDayWh += wh;
            } else {
                importNightWh += wh;
            }
        } else {
            exportWh += -wh;
        }
    }

    private boolean isDayTariff(long epochMinute) {
        LocalTime local = LocalTime.ofInstant(Instant.ofEpochSecond(epochMinute * 60), zone);
        return !local.isBefore(DAY_TARIFF_START) && local.isBefore(DAY_TARIFF_END);
    }
}
