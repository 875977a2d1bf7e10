// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A pseudo-terminal at a fixed path bridged to a meter's TCP port by socat. socat waits until a client
 * opens the pty, then connects; it exits when the client closes the pty, so it is restarted at once to
 * give the next session a fresh pty at the same path (the link target may change between sessions).
 */
final class PtyBridge implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PtyBridge.class.getName());
    private static final long LINK_WAIT_MILLIS = 5000;

    private final Path link;
    private final int tcpPort;
    private final Thread supervisor;
    private volatile Process process;
    private volatile boolean closed;
    private final AtomicLong launches = new AtomicLong();

    private PtyBridge(Path link, int tcpPort) {
        this.link = link;
        this.tcpPort = tcpPort;
        this.supervisor = new Thread(this::supervise, "pty-" + link.getFileName());
        supervisor.setDaemon(true);
    }

    /** Starts socat and returns once the link exists. */
    static PtyBridge start(Path link, int tcpPort) throws IOException {
        PtyBridge bridge = new PtyBridge(link, tcpPort);
        Files.createDirectories(link.getParent());
        if (Files.isSymbolicLink(link)) {
            Files.delete(link); // left behind by a killed simulator
        } else if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("Cannot create pty link " + link + ": a file of that name exists; remove it");
        }
        bridge.process = bridge.launch();
        if (!bridge.awaitLink()) {
            bridge.close();
            throw new IOException("socat did not create the pty link " + link + " within " + LINK_WAIT_MILLIS
                    + " ms; check that socat works (socat -V) and the directory is writable");
        }
        bridge.supervisor.start();
        return bridge;
    }

    /** Whether socat can be run here. */
    static boolean socatAvailable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "socat"))) {
                return true;
            }
        }
        return false;
    }

    Path link() {
        return link;
    }

    /** How many socat processes were started so far; the link is ready once it exists after a rise. */
    long launches() {
        return launches.get();
    }

    private Process launch() throws IOException {
        launches.incrementAndGet();
        // raw, no echo: the pty passes bytes unchanged (8N1; kernel ptys cannot do 7E1); wait-slave polls
        // every 20 ms (default 1 s) for the client to open the pty, and only then connects to the meter
        List<String> command = List.of("socat", "PTY,link=" + link + ",raw,echo=0,wait-slave,pty-interval=0.02",
                "TCP:127.0.0.1:" + tcpPort);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private boolean awaitLink() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINK_WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
            if (!process.isAlive()) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void supervise() {
        while (!closed) {
            try {
                long started = System.nanoTime();
                int exit = process.waitFor();
                if (closed) {
                    return;
                }
                if (exit != 0 && System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(200)) {
                    Thread.sleep(200); // failing fast: do not spin
                }
                Files.deleteIfExists(link); // normally gone with the old socat
                process = launch();
                awaitLink();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot restart socat for " + link + ": " + e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Process p = process;
        if (p != null) {
            p.destroy();
            try {
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        supervisor.interrupt();
        try {
            supervisor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Process last = process;
        if (last != p && last != null) {
            last.destroyForcibly();
        }
        try {
            Files.deleteIfExists(link);
        } catch (IOException e) {
            // socat normally removes it itself
        }
    }
}
