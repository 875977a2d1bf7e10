// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.simulator.Fault;

import picocli.CommandLine;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MetersCommandTest {

    @Test
    void printsOneLinePerMeterAndStopsAfterForSeconds(@TempDir Path stateDir) {
        StringWriter out = new StringWriter();
        CommandLine cli = SimulatorCli.commandLine();
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("meters", "--count", "3", "--base-port", "0", "--seed", "1", "--for", "0",
                "--fault", "m2=silent", "--state-dir", stateDir.toString());

        assertThat(exit).isZero();
        String[] lines = out.toString().split("\\R");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("m1 serial=").contains("tcp=127.0.0.1:").contains("pty=-");
        assertThat(lines[1]).startsWith("m2 ").contains("SILENT");
        assertThat(Files.exists(stateDir.resolve("m1.state"))).isTrue();
    }

    @Test
    void serialNumbersAreDeterministicPerSeed() {
        assertThat(firstLine("1")).isEqualTo(firstLine("1")).isNotEqualTo(firstLine("2"));
    }

    private static String firstLine(String seed) {
        StringWriter out = new StringWriter();
        CommandLine cli = SimulatorCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.execute("meters", "--base-port", "0", "--seed", seed, "--for", "0");
        return out.toString().split("\\R")[0].replaceAll("tcp=\\S+", "");
    }

    @Test
    void rejectsBadOptionsWithAClearMessage() {
        StringWriter err = new StringWriter();
        CommandLine cli = SimulatorCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("meters", "--count", "2", "--fault", "m5=silent", "--for", "0")).isNotZero();
        assertThat(err.toString()).contains("no meter 'm5'");

        err.getBuffer().setLength(0);
        assertThat(cli.execute("meters", "--max-baud", "1234", "--for", "0")).isNotZero();
        assertThat(err.toString()).contains("unsupported baud rate 1234");
    }

    @Test
    void busyPortAndDamagedStateFileAreReportedPlainly(@TempDir Path stateDir) throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            CommandLine cli = SimulatorCli.commandLine();
            cli.setErr(new PrintWriter(err));
            assertThat(cli.execute("meters", "--base-port", String.valueOf(busy.getLocalPort()), "--for", "0")).isEqualTo(1);
            assertThat(err.toString()).contains("Cannot open TCP port " + busy.getLocalPort() + " for meter m1");
        }
        Files.writeString(stateDir.resolve("m1.state"), "at=yesterday\n");
        StringWriter err = new StringWriter();
        CommandLine cli = SimulatorCli.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("meters", "--base-port", "0", "--state-dir", stateDir.toString(), "--for", "0")).isNotZero();
        assertThat(err.toString()).contains("m1.state is damaged");
    }

    @Test
    void faultSpecsParse() {
        assertThat(FaultSpec.parse("m1=slow-reaction:2500"))
                .isEqualTo(new FaultSpec("m1", Fault.SLOW_REACTION, Duration.ofMillis(2500)));
        assertThat(FaultSpec.parse("m3=corrupt-bcc").fault()).isEqualTo(Fault.CORRUPT_BCC);
        assertThat(FaultSpec.parse("m4=TRUNCATED-BLOCK").fault()).isEqualTo(Fault.TRUNCATED_BLOCK);
    }
}
