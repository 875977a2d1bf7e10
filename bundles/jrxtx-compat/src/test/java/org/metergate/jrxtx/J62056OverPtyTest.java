// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.jrxtx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.link.ByteLink;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkSettings;
import org.metergate.api.link.Parity;
import org.metergate.serial.ByteLinks;
import org.openmuc.j62056.DataMessage;
import org.openmuc.j62056.DataSet;
import org.openmuc.j62056.Iec21Port;

/** j62056 2.2.0, compiled against RXTX's jrxtx, reads a mode C meter over a socat pty through this API. */
@Timeout(20)
class J62056OverPtyTest {

    @TempDir
    Path dir;
    private Process socat;

    @BeforeEach
    void startSocat() throws Exception {
        assumeTrue(onPath("socat"), "socat is not installed");
        socat = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + dir.resolve("gateway"),
                "pty,raw,echo=0,link=" + dir.resolve("meter")).redirectErrorStream(true)
                .redirectOutput(dir.resolve("socat.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(dir.resolve("gateway")) && Files.exists(dir.resolve("meter")))) {
            assertThat(System.nanoTime()).as("socat created both links").isLessThan(deadline);
            Thread.sleep(10);
        }
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
    void modeCReadoutWithBaudSwitch() throws Exception {
        try (ByteLink meter = ByteLinks.open(LinkAddress.serial(dir.resolve("meter").toString()),
                new LinkSettings(300, 8, Parity.NONE, 1), Duration.ofSeconds(2))) {
            meter.setReadTimeout(Duration.ofSeconds(5));
            CompletableFuture<String> ack = CompletableFuture.supplyAsync(() -> answerModeC(meter));

            Iec21Port port = new Iec21Port.Builder(dir.resolve("gateway").toString()).setTimeout(3000)
                    .setBaudRateChangeDelay(50).buildAndOpen();
            try {
                DataMessage message = port.read();
                assertThat(message.getManufacturerId()).isEqualTo("ABC");
                DataSet energy = message.getDataSets().get(0);
                assertThat(energy.getAddress()).isEqualTo("1.8.0");
                assertThat(energy.getValue()).isEqualTo("001234.567");
                assertThat(energy.getUnit()).isEqualTo("kWh");
                assertThat(port.getSerialPort().getBaudRate()).isEqualTo(300);
            } finally {
                port.close();
            }
            assertThat(ack.get(5, TimeUnit.SECONDS)).isEqualTo("\u0006050\r\n");
        }
    }

    /** The meter side: sign-on, identification offering 9600 baud, acknowledgement, data block with BCC. */
    private static String answerModeC(ByteLink meter) {
        try {
            String request = read(meter, 5);
            assertThat(request).isEqualTo("/?!\r\n");
            write(meter, "/ABC5meter\r\n");
            String ack = read(meter, 6);
            String block = "1.8.0(001234.567*kWh)\r\n!\r\n\u0003";
            int bcc = 0;
            for (byte b : block.getBytes(StandardCharsets.US_ASCII)) {
                bcc ^= b;
            }
            write(meter, "\u0002" + block + (char) bcc);
            return ack;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(ByteLink link, int count) throws IOException {
        return new String(link.input().readNBytes(count), StandardCharsets.US_ASCII);
    }

    private static void write(ByteLink link, String text) throws IOException {
        link.output().write(text.getBytes(StandardCharsets.US_ASCII));
        link.output().flush();
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
