// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A pseudo-terminal with nothing on the other end, as a serial port with no meter attached (needs socat). */
final class SilentPty implements AutoCloseable {

    final Path path;
    private final Process socat;

    SilentPty(Path path) throws IOException, InterruptedException {
        this.path = path;
        socat = new ProcessBuilder("socat", "PTY,link=" + path + ",raw,echo=0", "PTY,raw,echo=0")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(path)) {
            if (System.nanoTime() > deadline || !socat.isAlive()) {
                close();
                throw new IOException("socat did not create " + path);
            }
            Thread.sleep(10);
        }
    }

    static boolean supported() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "socat"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        socat.destroy();
        if (!socat.waitFor(5, TimeUnit.SECONDS)) {
            socat.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
