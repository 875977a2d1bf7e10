// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.host.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends sd_notify messages ({@code READY=1}, {@code WATCHDOG=1}) to systemd's notification socket.
 *
 * <p>That socket is a Unix datagram socket, which Java 17 cannot open. A long-lived {@code socat} child
 * forwards each line written to its input as one datagram. Long-lived matters: systemd accepts a message
 * from another process than the main one ({@code NotifyAccess=all}) only if it can still find the sender in
 * the service's control group, which a short-lived {@code systemd-notify} often has left by then.
 */
final class NotifySocket implements AutoCloseable {

    private final Process forwarder;
    private final OutputStream lines;

    private NotifySocket(Process forwarder) {
        this.forwarder = forwarder;
        this.lines = forwarder.getOutputStream();
    }

    /** Starts the forwarder to {@code address}, a path or an abstract name starting with {@code @}. */
    static NotifySocket open(String socat, String address) throws IOException {
        String target = address.startsWith("@") ? "ABSTRACT-SENDTO:" + address.substring(1) : "UNIX-SENDTO:" + address;
        try {
            Process p = new ProcessBuilder(List.of(socat, "-u", "STDIN", target))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new NotifySocket(p);
        } catch (IOException e) {
            throw new IOException("cannot start " + socat + " to reach systemd's notification socket " + address
                    + " (" + e.getMessage() + "); install the socat package", e);
        }
    }

    /** One message, such as {@code WATCHDOG=1}; fails if the forwarder has ended. */
    synchronized void send(String message) throws IOException {
        if (!forwarder.isAlive()) {
            throw new IOException("the notification forwarder (socat) ended with exit code " + forwarder.exitValue());
        }
        lines.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        lines.flush();
    }

    @Override
    public void close() {
        try {
            lines.close();
            if (!forwarder.waitFor(2, TimeUnit.SECONDS)) {
                forwarder.destroy();
            }
        } catch (IOException e) {
            forwarder.destroy();
        } catch (InterruptedException e) {
            forwarder.destroy();
            Thread.currentThread().interrupt();
        }
    }
}
