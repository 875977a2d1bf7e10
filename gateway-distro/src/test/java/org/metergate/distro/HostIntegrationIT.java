// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the gateway meets its host (bundles/host). The shell a technician types into when the gateway runs in a
 * terminal ({@code bin/metergate run}). Gogo's own
 * console kept every line typed as a child of its {@code gosh} job, with its pipes and 16 KB writer buffers:
 * a test polling a command for a minute ran a 48 MB gateway out of heap. The gateway's shell runs each line as
 * a job of its own, which nothing holds once it has ended. And the reports to systemd when it runs as a service.
 */
class HostIntegrationIT {

    private static final int LINES = 300;
    private static final String JOB_CLASS = "org.apache.felix.gogo.runtime.CommandSessionImpl$JobImpl";

    @Test
    @Timeout(180)
    void linesTypedLeaveNothingBehindErrorsAreShownAndTheEndOfInputStopsTheGateway() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.copyOfDistribution("gw-shell")) {
            gateway.start();
            assertThat(gateway.execute("lb")).containsPattern("Active +\\| +1\\|Metergate host integration");

            for (int i = 0; i < LINES; i++) {
                assertThat(gateway.execute("mg:meters")).contains("No meters configured");
            }
            assertThat(liveInstances(gateway.pid(), JOB_CLASS)).as("Gogo jobs alive after %d lines", LINES)
                    .isLessThan(10);

            assertThat(gateway.execute("mg:read nosuchmeter")).contains("nosuchmeter");
            assertThat(gateway.execute("mg:nosuchcommand")).contains("gogo: CommandNotFoundException");

            gateway.stop();
            assertThat(gateway.isRunning()).as("the gateway stopped when its input ended").isFalse();
            assertThat(gateway.log()).doesNotContain("StackOverflowError");
        }
    }

    @Test
    @Timeout(180)
    void asAServiceTheGatewayReportsReadyPingsTheWatchdogAndReportsStopping(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("notify");
        Path received = dir.resolve("received");
        // systemd's notification socket: a Unix datagram socket; each message is written to a file as it arrives
        Process systemd = new ProcessBuilder("socat", "-u", "UNIX-RECV:" + socket, "OPEN:" + received + ",creat,append")
                .redirectErrorStream(true).start();
        try (GatewayProcess gateway = GatewayProcess.copyOfDistribution("gw-service")) {
            GatewayUnderTest.awaitTrue("the notification socket", Duration.ofSeconds(10), () -> Files.exists(socket));
            // a watchdog period of 1.5 s: a ping every 0.5 s
            gateway.environment("NOTIFY_SOCKET", socket.toString()).environment("WATCHDOG_USEC", "1500000");
            gateway.start();

            GatewayUnderTest.awaitTrue("READY=1 and three watchdog pings", Duration.ofSeconds(60),
                    () -> GatewayUnderTest.occurrences(GatewayUnderTest.textOf(received), "WATCHDOG=1\n") >= 3);
            String messages = GatewayUnderTest.textOf(received);
            assertThat(messages).startsWith("READY=1\nSTATUS=gateway started\n");
            assertThat(gateway.log()).contains("reporting to systemd at " + socket + ", watchdog ping every 500 ms")
                    .doesNotContain("watchdog: not confirming");

            gateway.stop();
            GatewayUnderTest.awaitTrue("STOPPING=1", Duration.ofSeconds(30), () -> GatewayUnderTest.textOf(received).endsWith("STOPPING=1\n"));
        } finally {
            systemd.destroy();
            systemd.waitFor(5, TimeUnit.SECONDS);
        }
    }



    /** Instances of a class that survive a full collection: {@code jcmd GC.class_histogram} collects first. */
    private static int liveInstances(long pid, String className) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.class_histogram")
                .redirectErrorStream(true).start();
        String histogram = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(histogram).as("class histogram").contains("java.lang.String");
        Matcher m = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(className) + "\\b",
                Pattern.MULTILINE).matcher(histogram);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
