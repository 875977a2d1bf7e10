// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.link.ByteLink;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkSettings;
import org.metergate.api.link.LinkTimeoutException;
import org.metergate.api.link.LinkUnavailableException;
import org.metergate.api.link.Parity;

/** Both ends of a socat pseudo-terminal pair, opened through their symbolic links. */
@Timeout(20)
class PtyLinkTest {

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(2);
    private static final LinkSettings FAST_8N1 = new LinkSettings(9600, 8, Parity.NONE, 1);

    @TempDir
    Path dir;
    private Process socat;
    private LinkAddress a;
    private LinkAddress b;

    @BeforeEach
    void startSocat() throws Exception {
        assumeTrue(onPath("socat"), "socat is not installed");
        Path linkA = dir.resolve("a");
        Path linkB = dir.resolve("b");
        socat = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + linkA,
                "pty,raw,echo=0,link=" + linkB).redirectErrorStream(true)
                .redirectOutput(dir.resolve("socat.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(linkA) && Files.exists(linkB))) {
            assertThat(System.nanoTime()).as("socat created both links").isLessThan(deadline);
            assertThat(socat.isAlive()).as("socat is running").isTrue();
            Thread.sleep(10);
        }
        a = LinkAddress.serial(linkA.toString());
        b = LinkAddress.serial(linkB.toString());
    }

    @AfterEach
    void stopSocat() throws InterruptedException {
        if (socat != null) {
            socat.destroy();
            if (!socat.waitFor(2, TimeUnit.SECONDS)) {
                socat.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void signOnFramingThenBaudSwitch() throws IOException {
        try (ByteLink meter = ByteLinks.open(a, LinkSettings.IEC_SIGN_ON, OPEN_TIMEOUT);
                ByteLink probe = ByteLinks.open(b, LinkSettings.IEC_SIGN_ON, OPEN_TIMEOUT)) {
            assertThat(probe.settings()).isEqualTo(LinkSettings.IEC_SIGN_ON);
            assertThat(probe.toString()).contains("carried as 300 8N1").contains("masked to 7 bits");

            send(probe, "/?!\r\n");
            assertThat(receive(meter, 5)).isEqualTo("/?!\r\n");
            // a byte with the top bit set (a parity bit as seen on an 8-bit line) arrives as 7-bit ASCII
            meter.output().write(new byte[] {(byte) ('/' | 0x80), 'A', 'B', 'C', '5'});
            assertThat(receive(probe, 5)).isEqualTo("/ABC5");

            send(probe, "\u0006050\r\n");
            probe.configure(LinkSettings.IEC_SIGN_ON.withBaudRate(9600));
            meter.configure(LinkSettings.IEC_SIGN_ON.withBaudRate(9600));
            assertThat(receive(meter, 6)).isEqualTo("\u0006050\r\n");
            assertThat(probe.settings().baudRate()).isEqualTo(9600);

            send(meter, "\u00021.8.0(001234.567*kWh)\r\n");
            assertThat(receive(probe, 24)).isEqualTo("\u00021.8.0(001234.567*kWh)\r\n");
            send(probe, "B0");
            assertThat(receive(meter, 2)).isEqualTo("B0");
        }
    }

    @Test
    void eightBitFramingIsExactAndUnmasked() throws IOException {
        try (ByteLink meter = ByteLinks.open(a, FAST_8N1, OPEN_TIMEOUT);
                ByteLink probe = ByteLinks.open(b, FAST_8N1, OPEN_TIMEOUT)) {
            assertThat(probe.toString()).doesNotContain("carried as");
            meter.output().write(new byte[] {(byte) 0x7E, (byte) 0xA0, (byte) 0xFF});
            assertThat(probe.input().readNBytes(3)).containsExactly(0x7E, 0xA0, 0xFF);
        }
    }

    @Test
    void readTimesOutInsteadOfBlocking() throws IOException {
        try (ByteLink probe = ByteLinks.open(b, FAST_8N1, OPEN_TIMEOUT)) {
            probe.setReadTimeout(Duration.ofMillis(200));
            assertThatThrownBy(() -> probe.input().read()).isInstanceOf(LinkTimeoutException.class)
                    .hasMessageContaining("200 ms");
            assertThatThrownBy(() -> probe.setReadTimeout(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void discardInputDropsStaleBytesFromAnEarlierSession() throws Exception {
        try (ByteLink meter = ByteLinks.open(a, FAST_8N1, OPEN_TIMEOUT)) {
            ByteLink first = ByteLinks.open(b, FAST_8N1, OPEN_TIMEOUT);
            first.close();
            send(meter, "stale answer tail");
            try (ByteLink probe = ByteLinks.open(b, FAST_8N1, OPEN_TIMEOUT)) {
                TcpLinkTest.awaitAvailable(probe.input(), 17);
                probe.discardInput();
                assertThat(probe.input().available()).isZero();
                send(meter, "fresh");
                assertThat(receive(probe, 5)).isEqualTo("fresh");
            }
        }
    }

    @Test
    void reopensAfterClose() throws IOException {
        ByteLink first = ByteLinks.open(a, FAST_8N1, OPEN_TIMEOUT);
        first.close();
        assertThat(first.isOpen()).isFalse();
        try (ByteLink again = ByteLinks.open(a, FAST_8N1, OPEN_TIMEOUT);
                ByteLink other = ByteLinks.open(b, FAST_8N1, OPEN_TIMEOUT)) {
            send(again, "hi");
            assertThat(receive(other, 2)).isEqualTo("hi");
        }
    }

    @Test
    void secondOpenOfTheSamePortIsBusy() throws IOException {
        try (ByteLink held = ByteLinks.open(a, FAST_8N1, OPEN_TIMEOUT)) {
            String resolved = a.device();
            assertThatThrownBy(() -> ByteLinks.open(a, FAST_8N1, Duration.ofMillis(300)))
                    .isInstanceOf(LinkUnavailableException.class)
                    .hasMessage("serial port " + resolved + " is busy — another program has it open");
            assertThat(held.isOpen()).isTrue();
        }
    }

    private static void send(ByteLink link, String text) throws IOException {
        link.output().write(text.getBytes(StandardCharsets.ISO_8859_1));
        link.output().flush();
    }

    private static String receive(ByteLink link, int count) throws IOException {
        return new String(link.input().readNBytes(count), StandardCharsets.ISO_8859_1);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry, program))) {
                return true;
            }
        }
        return false;
    }
}
