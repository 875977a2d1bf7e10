// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.metergate.simulator.model.RegisterStateStore;

/**
 * Serves simulated meters, each on its own TCP port on 127.0.0.1 and, when a pty directory is given and
 * socat is installed, on a pseudo-terminal at {@code <ptyDir>/<meterId>}. Closing stops every thread and
 * socat process and saves register totals when a state store is set.
 *
 * <pre>
 * try (MeterFleet fleet = MeterFleet.builder().add(meter, 0).start()) {
 *     int port = fleet.tcpPort("m1");
 * }
 * </pre>
 */
public final class MeterFleet implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MeterFleet.class.getName());

    private final Map<String, SimulatedMeter> meters = new LinkedHashMap<>();
    private final Map<String, MeterEndpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, PtyBridge> ptys = new LinkedHashMap<>();
    private final RegisterStateStore stateStore;
    private final ScheduledExecutorService stateSaver;
    private boolean closed;

    private MeterFleet(Builder b) throws IOException {
        this.stateStore = b.stateStore;
        try {
            for (Map.Entry<SimulatedMeter, Integer> entry : b.meters.entrySet()) {
                SimulatedMeter meter = entry.getKey();
                meters.put(meter.id(), meter);
                MeterEndpoint endpoint = new MeterEndpoint(meter, entry.getValue(), b.time, b.wireSpeed, b.timeouts);
                endpoints.put(meter.id(), endpoint);
                if (b.ptyDirectory != null && PtyBridge.socatAvailable()) {
                    ptys.put(meter.id(), PtyBridge.start(b.ptyDirectory.resolve(meter.id()), endpoint.port()));
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        if (stateStore != null) {
            stateSaver = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "meter-state-saver");
                t.setDaemon(true);
                return t;
            });
            stateSaver.scheduleWithFixedDelay(this::saveStateQuietly, 10, 10, TimeUnit.SECONDS);
        } else {
            stateSaver = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether pseudo-terminals can be offered on this machine (socat on the PATH). */
    public static boolean ptySupported() {
        return PtyBridge.socatAvailable();
    }

    public List<SimulatedMeter> meters() {
        return Collections.unmodifiableList(new ArrayList<>(meters.values()));
    }

    public SimulatedMeter meter(String id) {
        SimulatedMeter meter = meters.get(id);
        if (meter == null) {
            throw new NoSuchElementException("no meter '" + id + "' in this fleet; meters: " + meters.keySet());
        }
        return meter;
    }

    /** The TCP port the meter listens on (the bound one when 0 was asked for). */
    public int tcpPort(String meterId) {
        meter(meterId);
        return endpoints.get(meterId).port();
    }

    /** The pty path, when pseudo-terminals are enabled and socat is installed. */
    public Optional<Path> ptyPath(String meterId) {
        meter(meterId);
        return Optional.ofNullable(ptys.get(meterId)).map(PtyBridge::link);
    }

    /**
     * Waits until the meter's pty is ready for a new session after {@code previousLaunches} (a value from
     * {@link #ptyLaunches}) — i.e. the bridge of the previous session has been replaced and the link exists.
     *
     * @return whether it became ready in time
     */
    public boolean awaitPtyReady(String meterId, long previousLaunches, Duration timeout) throws InterruptedException {
        PtyBridge bridge = ptys.get(meterId);
        if (bridge == null) {
            throw new IllegalStateException("meter " + meterId + " has no pty (no pty directory or socat missing)");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (bridge.launches() > previousLaunches && Files.exists(bridge.link(), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    /** How many times socat was started for this meter's pty (one per pty session, plus the first). */
    public long ptyLaunches(String meterId) {
        PtyBridge bridge = ptys.get(meterId);
        return bridge == null ? 0 : bridge.launches();
    }

    /** Writes every meter's register totals to the state store (no-op without one). */
    public void saveState() {
        if (stateStore != null) {
            for (SimulatedMeter meter : meters.values()) {
                stateStore.save(meter.id(), meter.model().state());
            }
        }
    }

    private void saveStateQuietly() {
        try {
            saveState();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (stateSaver != null) {
            stateSaver.shutdownNow();
        }
        ptys.values().forEach(PtyBridge::close);
        endpoints.values().forEach(MeterEndpoint::close);
        saveStateQuietly();
    }

    /** Collects meters and options; {@link #start()} opens all ports before it returns. */
    public static final class Builder {
        private final Map<SimulatedMeter, Integer> meters = new LinkedHashMap<>();
        private Path ptyDirectory;
        private TimeSource time = TimeSource.SYSTEM;
        private boolean wireSpeed = true;
        private SessionTimeouts timeouts = SessionTimeouts.STANDARD;
        private RegisterStateStore stateStore;

        /** Adds a meter on a TCP port (0 = any free port). */
        public Builder add(SimulatedMeter meter, int tcpPort) {
            Objects.requireNonNull(meter);
            if (tcpPort < 0 || tcpPort > 65535) {
                throw new IllegalArgumentException("TCP port for meter " + meter.id() + " must be 0..65535, got " + tcpPort);
            }
            boolean duplicate = meters.keySet().stream().anyMatch(m -> m.id().equals(meter.id()));
            if (duplicate) {
                throw new IllegalArgumentException("meter id '" + meter.id() + "' is used twice");
            }
            meters.put(meter, tcpPort);
            return this;
        }

        /** Also offer each meter on a pty at {@code dir/<meterId>} (ignored when socat is not installed). */
        public Builder ptyDirectory(Path dir) {
            this.ptyDirectory = dir;
            return this;
        }

        /** Whether bytes leave at the current baud rate (default) or as fast as the socket takes them. */
        public Builder wireSpeed(boolean enabled) {
            this.wireSpeed = enabled;
            return this;
        }

        public Builder timeSource(TimeSource source) {
            this.time = Objects.requireNonNull(source);
            return this;
        }

        public Builder sessionTimeouts(SessionTimeouts sessionTimeouts) {
            this.timeouts = Objects.requireNonNull(sessionTimeouts);
            return this;
        }

        /** Saves register totals there every 10 s and on close (load them with the same store when building meters). */
        public Builder stateStore(RegisterStateStore store) {
            this.stateStore = store;
            return this;
        }

        public MeterFleet start() throws IOException {
            return new MeterFleet(this);
        }
    }
}
