// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.simulator.Fault;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.SimulatedMeter;

/**
 * The shipped gateway reads good meters over TCP and a pseudo-terminal while bad ones around them fail in
 * every way a field installation sees: corrupt block check, truncated readout, silent meter, wrong device
 * address, missing serial port and an invalid configuration file. Each bad meter shows a specific,
 * plain-language problem and an unreachable event; the good meters keep being read; no threads pile up; and
 * fixing a configuration file takes effect live.
 */
class MeterFaultsIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path ptyDir;

    @Test
    @Timeout(240)
    void goodMetersKeepBeingReadWhileBadOnesFailClearly() throws Exception {
        assumeThat(MeterFleet.ptySupported()).as("socat installed (test.sh installs it)").isTrue();
        SimulatedMeter good = SimulatedMeter.builder("good").seed(1).reactionTime(Duration.ofMillis(20)).build();
        SimulatedMeter onPty = SimulatedMeter.builder("onpty").seed(2).reactionTime(Duration.ofMillis(20)).build();
        SimulatedMeter bcc = SimulatedMeter.builder("bcc").seed(3).reactionTime(Duration.ofMillis(20)).build();
        SimulatedMeter truncated = SimulatedMeter.builder("trunc").seed(4).reactionTime(Duration.ofMillis(20)).build();
        SimulatedMeter silent = SimulatedMeter.builder("silent").seed(5).reactionTime(Duration.ofMillis(20)).build();
        SimulatedMeter addressed = SimulatedMeter.builder("addr").seed(6).deviceAddress("4711")
                .reactionTime(Duration.ofMillis(20)).build();
        bcc.injectFault(Fault.CORRUPT_BCC);
        truncated.injectFault(Fault.TRUNCATED_BLOCK);
        silent.injectFault(Fault.SILENT);

        try (MeterFleet fleet = MeterFleet.builder().wireSpeed(false).ptyDirectory(ptyDir).add(good, 0)
                .add(onPty, 0).add(bcc, 0).add(truncated, 0).add(silent, 0).add(addressed, 0).start();
                GatewayUnderTest gateway = GatewayUnderTest.copyOfDistribution()) {
            Map<String, String> fast = Map.of("pollIntervalSeconds", "2", "timeoutMs", "800", "retries", "1",
                    "backoffInitialSeconds", "1", "backoffMaxSeconds", "1");
            gateway.writeMeterConfig("good", tcp(fleet, "good"), fast);
            gateway.writeMeterConfig("onpty", fleet.ptyPath("onpty").orElseThrow().toString(), fast);
            gateway.writeMeterConfig("bcc", tcp(fleet, "bcc"), fast);
            gateway.writeMeterConfig("trunc", tcp(fleet, "trunc"), fast);
            gateway.writeMeterConfig("silent", tcp(fleet, "silent"), fast);
            gateway.writeMeterConfig("addr", tcp(fleet, "addr"), with(fast, "deviceAddress", "9999"));
            gateway.writeMeterConfig("noport", "/dev/ttyMETERGATE-MISSING", fast);
            gateway.writeMeterConfig("bad", "nowhere", with(fast, "timeoutMs", "5"));
            gateway.start();

            Map<String, String> rows = rows(gateway.awaitCommandOutput("mg:meters", out -> {
                Map<String, String> r = rows(out);
                return r.size() == 8 && state(r, "good", "ONLINE") && state(r, "onpty", "ONLINE")
                        && state(r, "bcc", "UNREACHABLE") && state(r, "trunc", "UNREACHABLE")
                        && state(r, "silent", "UNREACHABLE") && state(r, "addr", "UNREACHABLE")
                        && state(r, "noport", "UNREACHABLE") && state(r, "bad", "MISCONFIGURED");
            }, WAIT));

            assertThat(rows.get("bcc")).contains("block check character");
            assertThat(rows.get("trunc")).contains("stopped answering in the middle of the readout");
            assertThat(rows.get("silent")).contains("no answer from meter silent", "optical probe");
            assertThat(rows.get("addr")).contains("device address '9999'");
            assertThat(rows.get("noport")).contains("/dev/ttyMETERGATE-MISSING");
            assertThat(rows.get("bad")).contains("misconfigured", "'nowhere'", "timeoutMs 5");

            // one unreachable event per bad meter that was tried, waiting in the outbox for the head-end
            String outbox = gateway.execute("mg:outbox 1000");
            for (String meter : new String[] {"bcc", "trunc", "silent", "addr", "noport"}) {
                assertThat(outbox.lines().filter(l -> l.contains("EVENT") && l.contains(" " + meter + " ")
                        && l.contains("meter-unreachable")).count()).as("unreachable events of " + meter).isEqualTo(1);
            }
            assertThat(outbox).doesNotContain("\"meter\":\"bcc\",\"obis\"").doesNotContain("\"meter\":\"silent\",\"obis\"");

            // the good meters keep being read while the bad ones keep failing, and threads do not pile up
            long goodBefore = good.counters().readoutsCompleted();
            long ptyBefore = onPty.counters().readoutsCompleted();
            int threadsBefore = metergateThreads();
            GatewayUnderTest.awaitTrue("three more readouts of each good meter", WAIT,
                    () -> good.counters().readoutsCompleted() >= goodBefore + 3
                            && onPty.counters().readoutsCompleted() >= ptyBefore + 3);
            assertThat(metergateThreads()).isLessThanOrEqualTo(threadsBefore);
            assertThat(gateway.execute("mg:read good")).contains("1-0:1.8.0*255 =", "kWh");

            // fixing a file in conf/ applies live: the misconfigured meter becomes a working one
            gateway.writeMeterConfig("bad", tcp(fleet, "good"), fast);
            gateway.awaitCommandOutput("mg:meters", out -> state(rows(out), "bad", "ONLINE"), WAIT);
            // and removing a file removes the meter
            Files.delete(gateway.confDir().resolve("org.metergate.iec62056.meter-noport.cfg"));
            gateway.awaitCommandOutput("mg:meters", out -> !rows(out).containsKey("noport"), WAIT);
        }
    }

    private static String tcp(MeterFleet fleet, String meterId) {
        return "tcp://127.0.0.1:" + fleet.tcpPort(meterId);
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    /** mg:meters rows by meter id (first column). */
    private static Map<String, String> rows(String meters) {
        return meters.lines().skip(1).filter(Predicate.not(String::isBlank))
                .collect(Collectors.toMap(l -> l.split("\\s+")[0], l -> l, (a, b) -> b, LinkedHashMap::new));
    }

    private static boolean state(Map<String, String> rows, String meter, String state) {
        String row = rows.get(meter);
        return row != null && Arrays.asList(row.split("\\s+")).contains(state);
    }

    private static int metergateThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("metergate-"))
                .count();
    }
}
