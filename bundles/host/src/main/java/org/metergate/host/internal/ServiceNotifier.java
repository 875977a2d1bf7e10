// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.host.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the gateway tells systemd: {@code READY=1} once every bundle has started, {@code WATCHDOG=1} while it is
 * healthy, {@code STOPPING=1} at a clean stop. A gateway that stops answering misses its watchdog pings and
 * systemd restarts it ({@code WatchdogSec} in the unit); one that is merely unhappy (broker down, meter
 * silent) keeps pinging, because a restart would not help it.
 */
final class ServiceNotifier {

    /** The socket address and the ping interval systemd gives a service; empty when it gives none. */
    record Settings(String socket, Optional<Duration> pingEvery) {

        static Optional<Settings> from(Map<String, String> environment, long pid) {
            String socket = environment.get("NOTIFY_SOCKET");
            if (socket == null || socket.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new Settings(socket, pingInterval(environment, pid)));
        }

        private static Optional<Duration> pingInterval(Map<String, String> environment, long pid) {
            String usec = environment.get("WATCHDOG_USEC");
            String forPid = environment.get("WATCHDOG_PID");
            if (usec == null || (forPid != null && !forPid.equals(Long.toString(pid)))) {
                return Optional.empty();
            }
            try {
                long micros = Long.parseLong(usec.trim());
                // three pings per watchdog period: one late ping on a slow board is not yet a restart
                return micros <= 0 ? Optional.empty() : Optional.of(Duration.ofNanos(micros * 1000 / 3));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("WATCHDOG_USEC is not a number of microseconds: '" + usec + "'");
            }
        }
    }

    /** Where messages go: systemd's socket in service, a list in tests. */
    interface Sender extends AutoCloseable {
        void send(String message) throws IOException;

        @Override
        void close();
    }

    private final Sender sender;
    private final Supplier<Optional<String>> health;
    private final Consumer<String> warn;
    private String lastProblem;

    /**
     * @param health a problem that should stop the pings, in plain words, or empty while healthy
     * @param warn   where a missed ping or a failed send is reported
     */
    ServiceNotifier(Sender sender, Supplier<Optional<String>> health, Consumer<String> warn) {
        this.sender = sender;
        this.health = health;
        this.warn = warn;
    }

    void ready() {
        send("READY=1\nSTATUS=gateway started");
    }

    /** One watchdog period's check: ping if healthy; a problem is reported when it begins. */
    synchronized void tick() {
        Optional<String> problem = health.get();
        if (problem.isPresent()) {
            if (!problem.get().equals(lastProblem)) {
                warn.accept("watchdog: not confirming that the gateway is healthy, so systemd restarts it if this"
                        + " lasts: " + problem.get());
            }
            lastProblem = problem.get();
            return;
        }
        lastProblem = null;
        send("WATCHDOG=1");
    }

    void stopping() {
        send("STOPPING=1");
        sender.close();
    }

    private void send(String message) {
        try {
            sender.send(message);
        } catch (IOException e) {
            warn.accept("cannot tell systemd '" + message.replace('\n', ' ') + "': " + e.getMessage());
        }
    }
}
