// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.host.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Messages reach a real Unix datagram socket, as systemd's is, through the socat forwarder. */
@Timeout(30)
class NotifySocketTest {

    @TempDir
    Path dir;

    @Test
    void eachMessageArrivesAsADatagramOnTheSocket() throws Exception {
        Path socket = dir.resolve("notify");
        Path received = dir.resolve("received");
        // one datagram per message, each written as it arrives
        Process systemd = new ProcessBuilder("socat", "-u", "UNIX-RECV:" + socket, "OPEN:" + received + ",creat,append")
                .redirectErrorStream(true).start();
        try {
            awaitFile(socket);
            try (NotifySocket notify = NotifySocket.open("socat", socket.toString())) {
                notify.send("READY=1\nSTATUS=gateway started");
                awaitContent(received, "READY=1\nSTATUS=gateway started\n");
                notify.send("WATCHDOG=1");
                awaitContent(received, "READY=1\nSTATUS=gateway started\nWATCHDOG=1\n");
            }
        } finally {
            systemd.destroy();
            systemd.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMissingForwarderIsNamedWithWhatToInstall() {
        assertThatThrownBy(() -> NotifySocket.open(dir.resolve("no-socat").toString(), "/run/systemd/notify"))
                .isInstanceOf(IOException.class).hasMessageContaining("install the socat package")
                .hasMessageContaining("/run/systemd/notify");
    }

    @Test
    void sendingAfterTheForwarderEndedFails() throws Exception {
        // nobody listens on this socket: socat cannot send and ends
        try (NotifySocket notify = NotifySocket.open("socat", dir.resolve("nobody").toString())) {
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    notify.send("WATCHDOG=1");
                    Thread.sleep(100);
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("forwarder");
        }
    }

    private static void awaitFile(Path file) throws InterruptedException {
        for (int i = 0; i < 200 && !Files.exists(file); i++) {
            Thread.sleep(25);
        }
        assertThat(file).exists();
    }

    private static void awaitContent(Path file, String expected) throws IOException, InterruptedException {
        String content = "";
        for (int i = 0; i < 200; i++) {
            content = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            if (content.equals(expected)) {
                return;
            }
            Thread.sleep(25);
        }
        assertThat(content).isEqualTo(expected);
    }
}
