// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A pseudo-terminal whose bytes go to a meter's HDLC TCP port, made by socat and kept alive: if socat exits (the
 * meter closed the line), it is started again. The pty appears as a symbolic link at {@link #path()}.
 */
final class HdlcPtyBridge implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HdlcPtyBridge.class.getName());
    private static final long APPEAR_TIMEOUT_MILLIS = 5_000;
    private static final int MAX_QUICK_RESTARTS = 20;

    private final Path link;
    private final int tcpPort;
    private final Thread supervisor;
    private volatile Process process;
    private volatile boolean closed;

    private HdlcPtyBridge(Path link, int tcpPort) {
        this.link = link;
        this.tcpPort = tcpPort;
        this.supervisor = new Thread(this::supervise, "pty-bridge-" + link.getFileName());
        this.supervisor.setDaemon(true);
    }

    /** True when socat is on the PATH. */
    static boolean socatAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "socat"))) {
                return true;
            }
        }
        return false;
    }

    static HdlcPtyBridge start(Path link, int tcpPort) throws IOException {
        if (!socatAvailable()) {
            throw new IOException("socat not found on PATH; install it (apt-get install socat) to get meters on "
                    + "pseudo-terminals, or use the TCP ports");
        }
        Files.createDirectories(link.toAbsolutePath().getParent());
        HdlcPtyBridge bridge = new HdlcPtyBridge(link, tcpPort);
        bridge.launch();
        bridge.awaitLink();
        bridge.supervisor.start();
        return bridge;
    }

    private void launch() throws IOException {
        Files.deleteIfExists(link);
        // raw 8N1 on the pty: kernel ptys do not emulate 7E1, and HDLC is 8N1 anyway. wait-slave: connect to the
        // meter only once a client opens the pty (polled every 20 ms). A small shell watches this JVM so socat
        // does not outlive it when the JVM dies without closing the simulator.
        String ptyAddress = "pty,link=" + link.toAbsolutePath() + ",raw,echo=0,mode=666,wait-slave,pty-interval=0.02";
        String socat = "socat " + shellQuoted(ptyAddress) + " tcp:127.0.0.1:" + tcpPort + ",nodelay";
        String script = socat + " & s=$!; "
                + "(while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 2; done; kill $s) & w=$!; "
                + "trap 'kill $s $w 2>/dev/null' TERM INT; wait $s; kill $w 2>/dev/null";
        process = new ProcessBuilder(List.of("sh", "-c", script))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static String shellQuoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private void awaitLink() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(APPEAR_TIMEOUT_MILLIS);
        while (!Files.exists(link)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                process.destroy();
                throw new IOException("socat did not create the pseudo-terminal " + link + " within "
                        + APPEAR_TIMEOUT_MILLIS + " ms");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + link, e);
            }
        }
    }

    private void supervise() {
        int quickRestarts = 0;
        while (!closed) {
            try {
                long started = System.nanoTime();
                process.waitFor();
                if (closed) {
                    return;
                }
                quickRestarts = System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1) ? quickRestarts + 1 : 0;
                if (quickRestarts > MAX_QUICK_RESTARTS) {
                    LOG.warning("socat for " + link + " keeps exiting; giving up on this pseudo-terminal");
                    return;
                }
                Thread.sleep(Math.min(2_000, 50L * quickRestarts));
                launch();
                awaitLink();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                LOG.warning("cannot restart socat for " + link + ": " + e.getMessage());
            }
        }
    }

    Path path() {
        return link;
    }

    @Override
    public void close() {
        closed = true;
        supervisor.interrupt();
        Process current = process;
        if (current != null) {
            current.destroy();
            try {
                if (!current.waitFor(2, TimeUnit.SECONDS)) {
                    current.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(link);
        } catch (IOException e) {
            // socat removes it itself on a clean exit
        }
    }
}
