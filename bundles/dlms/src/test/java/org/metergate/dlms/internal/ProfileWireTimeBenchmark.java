// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import static org.metergate.dlms.internal.TestConfigs.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.cosem.CosemAttribute;
import org.metergate.api.cosem.CosemData;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.cosem.SelectiveAccess;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.SimClock;

/**
 * One day of 15-minute load profile (96 captures, GET with range selective access) read through the real driver
 * over HDLC, divided by the wire-time limit of the same exchange at 9600 baud. A {@link PacedSerialLine} between
 * the driver and the simulator's HDLC port carries every byte at 10 bits (8N1) per direction and holds each meter
 * answer until the minimum reaction time after the request's last byte. The limit is: every byte that crossed the
 * line (all frames of both directions: I-frames, RR acknowledgements with jDLMS's window of 1, flags and FCS
 * included) at 10 bits / 9600 baud, plus one minimum reaction time per request/answer turn.
 *
 * <p>Not part of the test suite (surefire runs *Test classes only). Run:
 * {@code mvn -B -q -o -pl bundles/dlms test -Dtest=ProfileWireTimeBenchmark}
 */
@Tag("benchmark")
class ProfileWireTimeBenchmark {

    private static final int RUNS = 5;
    private static final int BAUD = 9600;
    private static final int BITS_PER_BYTE = 10;
    /** IEC 62056-21's smallest meter reaction time (20 ms, after an enhanced identification), used for mode E. */
    private static final long MIN_REACTION_MS = 20;
    private static final Instant NOW = Instant.parse("2026-03-02T10:07:00Z");
    private static final Instant FROM = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-03-01T23:45:00Z");

    @TempDir
    Path dataDir;
    @TempDir
    Path stateDir;

    @Test
    void oneDayOfQuarterHourProfileAt9600Baud() throws Exception {
        StringBuilder report = new StringBuilder();
        // 128: the smallest information field every meter must accept; 2030: the largest HDLC allows
        for (int infoLength : new int[] {256, 2030}) {
            report.append(measure(infoLength));
        }
        System.out.print(report);
        Path out = Path.of("target/benchmarks");
        Files.createDirectories(out);
        Files.writeString(out.resolve("dlms-profile.txt"), report, StandardCharsets.UTF_8);
    }

    private String measure(int infoLength) throws Exception {
        try (DlmsSimulator sim = DlmsSimulator.builder().count(1).hdlc(true).stateDir(stateDir)
                .clock(SimClock.frozenAt(NOW)).start();
                PacedSerialLine line = new PacedSerialLine(sim.meters().get(0).hdlcPort(), BAUD, MIN_REACTION_MS)) {
            var meter = sim.meters().get(0);
            DlmsMeter driver = new DlmsMeter(Clock.systemUTC(), dataDir,
                    InMemoryMeterKeys.of("m1", meter.config().authenticationKey(), meter.config().encryptionKey()));
            driver.configure(config("link", "tcp://127.0.0.1:" + line.port(), "tcpFraming", "HDLC",
                    "responseTimeoutMs", 10_000, "hdlcMaxInformationLength", infoLength), "m1");
            CosemAttribute buffer = CosemAttribute.of(7, "1-0:99.1.0.255", 2);
            SelectiveAccess oneDay = SelectiveAccess.byClock(FROM, TO);

            long[] nanos = new long[RUNS];
            PacedSerialLine.Traffic traffic = null;
            try (CosemSession session = driver.open()) {
                read(session, buffer, oneDay); // warm-up: class loading and JIT are not what this measures
                for (int i = 0; i < RUNS; i++) {
                    line.resetTraffic();
                    long start = System.nanoTime();
                    read(session, buffer, oneDay);
                    nanos[i] = System.nanoTime() - start;
                    traffic = line.resetTraffic();
                }
            }

            double limit = traffic.bytes() * BITS_PER_BYTE / (double) BAUD + traffic.turns() * MIN_REACTION_MS / 1000.0;
            Arrays.sort(nanos);
            double median = nanos[RUNS / 2] / 1e9;
            double best = nanos[0] / 1e9;
            return String.format(Locale.ROOT, "information field %d: captures 96, bytes to meter %d in %d frames, bytes from meter"
                    + " %d in %d frames, turns %d, wire-time limit %.3f s, median %.3f s, best %.3f s, ratio median"
                    + " %.3f, ratio best %.3f%n", infoLength, traffic.bytesToMeter(), traffic.framesToMeter(),
                    traffic.bytesToClient(), traffic.framesToClient(), traffic.turns(), limit, median,
                    best, median / limit, best / limit);
        }
    }

    private static void read(CosemSession session, CosemAttribute buffer, SelectiveAccess range) throws Exception {
        CosemData rows = session.get(buffer, range);
        int n = ((CosemData.ArrayData) rows).size();
        if (n != 96) {
            throw new AssertionError("expected 96 captures for one day, got " + n);
        }
    }
}
