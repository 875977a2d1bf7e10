// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import static org.metergate.iec62056.internal.TestConfigs.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.metergate.api.meter.MeterSession;
import org.metergate.simulator.DataBlock;
import org.metergate.simulator.Frames;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.ProtocolMode;
import org.metergate.simulator.SimulatedMeter;

/**
 * Mode C readout time through the real driver stack divided by the serial wire-time limit: every character
 * at 10 bits (7E1) at the baud it travels at, plus the meter's minimum reaction time (200 ms) before the
 * identification and before the data block. The simulator paces its bytes at the negotiated baud.
 *
 * <p>Not part of the test suite (surefire runs *Test classes only). Run:
 * {@code mvn -B -q -o -pl bundles/iec62056-21 test -Dtest=ReadoutWireTimeBenchmark}
 */
@Tag("benchmark")
class ReadoutWireTimeBenchmark {

    private static final int RUNS = 10;
    private static final int BITS_PER_CHAR = 10;
    private static final double MIN_REACTION_S = 0.200;

    @Test
    void modeCReadoutAt9600Baud() throws Exception {
        SimulatedMeter sim = SimulatedMeter.builder("bench").seed(1).protocolMode(ProtocolMode.C).maxBaudRate(9600)
                .reactionTime(SimulatedMeter.DEFAULT_REACTION_TIME).build();
        try (MeterFleet fleet = MeterFleet.builder().wireSpeed(true).add(sim, 0).start()) {
            Iec21Meter meter = new Iec21Meter();
            meter.configure(config("link", "tcp://127.0.0.1:" + fleet.tcpPort("bench"), "timeoutMs", 5000), "bench");
            read(meter); // warm-up: class loading and JIT are not what this measures

            long[] nanos = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                read(meter);
                nanos[i] = System.nanoTime() - start;
            }

            int request = "/?!\r\n".length();
            int identification = ("/" + sim.manufacturer() + "5" + sim.identification() + "\r\n").length();
            int acknowledge = 6; // ACK 0 5 0 CR LF
            int block = Frames.stxBlock(DataBlock.of(sim, sim.model().read()).readoutText(), false).length;
            double limit = (request + identification + acknowledge) * BITS_PER_CHAR / 300.0
                    + block * BITS_PER_CHAR / 9600.0 + 2 * MIN_REACTION_S;
            Arrays.sort(nanos);
            double median = nanos[RUNS / 2] / 1e9;
            double best = nanos[0] / 1e9;
            String report = String.format(Locale.ROOT,
                    "IEC 62056-21 mode C readout at 9600 baud, %d runs: characters at 300 baud %d, block %d bytes;"
                            + " wire-time limit %.3f s; median %.3f s (ratio %.3f), best %.3f s (ratio %.3f)%n",
                    RUNS, request + identification + acknowledge, block, limit, median, median / limit, best,
                    best / limit);
            System.out.print(report);
            Path out = Path.of("target", "benchmarks", "iec-readout.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report, StandardCharsets.UTF_8);
        }
    }

    private static void read(Iec21Meter meter) throws Exception {
        try (MeterSession session = meter.open()) {
            session.readRegisters();
        }
    }
}
