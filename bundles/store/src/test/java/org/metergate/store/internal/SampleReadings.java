// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * Reading payloads shaped like the metering bundle's (MQTT contract v1 reading objects with their
 * meter|obis|ts id), with varying values, for the benchmarks.
 */
final class SampleReadings {

    /** A typical register and instantaneous set of an electricity meter readout. */
    static final String[][] REGISTERS = {
        {"1-0:1.8.0*255", "kWh"}, {"1-0:2.8.0*255", "kWh"}, {"1-0:1.8.1*255", "kWh"}, {"1-0:1.8.2*255", "kWh"},
        {"1-0:2.8.1*255", "kWh"}, {"1-0:2.8.2*255", "kWh"}, {"1-0:3.8.0*255", "kvarh"}, {"1-0:4.8.0*255", "kvarh"},
        {"1-0:32.7.0*255", "V"}, {"1-0:52.7.0*255", "V"}, {"1-0:72.7.0*255", "V"}, {"1-0:31.7.0*255", "A"},
        {"1-0:51.7.0*255", "A"}, {"1-0:71.7.0*255", "A"}, {"1-0:1.7.0*255", "kW"}, {"1-0:14.7.0*255", "Hz"}};

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    private final Random random;

    SampleReadings(long seed) {
        this.random = new Random(seed);
    }

    /** One reading object, as the metering bundle writes it. */
    String reading(String meter, String obis, String unit, Instant ts) {
        long value = 1_000_000 + random.nextInt(90_000_000);
        return "{\"id\":\"" + meter + "|" + obis + "|" + ts + "\",\"meter\":\"" + meter + "\",\"obis\":\"" + obis
                + "\",\"value\":" + value / 1000 + "." + String.format("%03d", value % 1000)
                + ",\"scaler\":0,\"unit\":\"" + unit + "\",\"ts\":\"" + ts + "\",\"status\":\"ok\"}";
    }

    /** The {@code n}-th single reading of a stream over 100 meters, 15 minutes apart per meter. */
    String single(long n) {
        String[] reg = REGISTERS[(int) (n % 3)];
        return reading(meter(n / 3), reg[0], reg[1], START.plus(Duration.ofMinutes(15 * (n / 300))));
    }

    /** A readout: {@code size} registers of one meter at one time, as one JSON array. */
    String readout(long n, int size) {
        StringBuilder b = new StringBuilder("[");
        Instant ts = START.plus(Duration.ofMinutes(15 * (n / 100)));
        for (int i = 0; i < size; i++) {
            String[] reg = REGISTERS[i % REGISTERS.length];
            b.append(i == 0 ? "" : ",").append(reading(meter(n), reg[0], reg[1], ts));
        }
        return b.append(']').toString();
    }

    /** One day of 15-minute load profile of one meter (96 captures of the import register) as one array. */
    String profileDay(long n) {
        StringBuilder b = new StringBuilder("[");
        Instant day = START.plus(Duration.ofDays(n / 100));
        for (int i = 0; i < 96; i++) {
            b.append(i == 0 ? "" : ",").append(reading(meter(n), "1-0:1.8.0*255", "kWh",
                    day.plus(Duration.ofMinutes(15 * i))));
        }
        return b.append(']').toString();
    }

    static String meter(long n) {
        return String.format("m%04d", n % 100);
    }
}
