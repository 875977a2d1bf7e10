// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.simulator.cli.SimulatorCli;

import picocli.CommandLine;

/** {@code metergate-sim dlms}: option mistakes and start-up failures come back as one plain line. */
@Timeout(30)
class DlmsCommandTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = SimulatorCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void bad_options_are_usage_errors() {
        assertThat(run("dlms", "--control-mode", "9", "--state-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("disconnect control mode must be 0..6");
        assertThat(run("dlms", "--friendly-window", "late", "--state-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("must look like 18:00-08:00");
        assertThat(run("dlms", "--count", "0", "--state-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("meter count must be 1..1000");
        assertThat(run("dlms", "--low-credit", "-1", "--state-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--low-credit must be >= 0 minor units, got -1");
        assertThat(run("dlms", "--zone", "Europe/Nowhere", "--state-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--zone must be an offset from UTC", "got 'Europe/Nowhere'");
    }

    @Test
    void credit_threshold_and_zone_options_reach_every_meter() throws Exception {
        DlmsCommand command = new DlmsCommand();
        new CommandLine(command).parseArgs("--count", "2", "--base-port", "0", "--state-dir", dir.toString(),
                "--initial-credit", "800", "--low-credit", "450", "--zone", "+05:30", "--tariff", "1000");
        try (DlmsSimulator simulator = command.configuredBuilder().start()) {
            assertThat(simulator.meters()).hasSize(2).allSatisfy(meter -> {
                assertThat(meter.config().zone()).isEqualTo(ZoneOffset.ofHoursMinutes(5, 30));
                assertThat(meter.config().tariffMinorPerKwh()).isEqualTo(1000);
                assertThat(meter.firmware().lowCreditThresholdMinor()).isEqualTo(450);
                assertThat(meter.firmware().availableCreditMinor()).isLessThanOrEqualTo(800);
            });
        }
    }

    @Test
    void an_unreadable_headend_key_is_a_usage_error() throws Exception {
        Path bad = java.nio.file.Files.writeString(dir.resolve("bad.pem"), "not a key");
        assertThat(run("dlms", "--headend-key", "he=" + bad, "--state-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--headend-key he=" + bad).contains("PEM");
        assertThat(run("dlms", "--headend-key", "he=" + dir.resolve("missing.pem"), "--state-dir", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("missing.pem");
    }

    @Test
    void busy_port_is_reported_in_one_line() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int code = run("dlms", "--base-port", Integer.toString(busy.getLocalPort()), "--state-dir",
                    dir.toString());
            assertThat(code).isEqualTo(1);
            assertThat(err.toString())
                    .startsWith("metergate-sim dlms: meter 10000001: cannot listen on 127.0.0.1:" + busy.getLocalPort())
                    .doesNotContain("\tat ");
        }
    }
}
