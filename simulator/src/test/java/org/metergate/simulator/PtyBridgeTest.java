// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PtyBridgeTest {

    @Test
    void ptyPathServesTwoConsecutiveSessions(@TempDir Path dir) throws Exception {
        assumeTrue(MeterFleet.ptySupported(), "socat is not installed");
        SimulatedMeter m1 = MeterFixture.meter("m1").build();
        Path ptyDir = dir.resolve("pty");
        try (MeterFleet fleet = MeterFleet.builder().add(m1, 0).wireSpeed(false).ptyDirectory(ptyDir).start()) {
            Path link = fleet.ptyPath("m1").orElseThrow();
            assertThat(link).isEqualTo(ptyDir.resolve("m1"));
            assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isTrue(); // ready when start() returns

            for (int session = 1; session <= 2; session++) {
                long launches = fleet.ptyLaunches("m1");
                try (RandomAccessFile pty = new RandomAccessFile(link.toFile(), "rw")) {
                    pty.write("/?!\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(readLine(pty)).startsWith("/MGS5MGSIM" + m1.serialNumber());
                    pty.write(new byte[] { Frames.ACK, '0', '5', '0', '\r', '\n' });
                    assertThat(readUntilEtx(pty)).contains("1.8.0(");
                }
                assertThat(fleet.awaitPtyReady("m1", launches, Duration.ofSeconds(5))).isTrue();
            }
            assertThat(m1.counters().readoutsCompleted()).isEqualTo(2);
        }
        assertThat(Files.exists(ptyDir.resolve("m1"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    private static String readLine(RandomAccessFile pty) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = pty.read()) >= 0) {
            buf.write(b);
            if (b == '\n') {
                break;
            }
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }

    private static String readUntilEtx(RandomAccessFile pty) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = pty.read()) >= 0 && b != Frames.ETX) {
            buf.write(b);
        }
        pty.read(); // BCC
        return buf.toString(StandardCharsets.US_ASCII);
    }
}
