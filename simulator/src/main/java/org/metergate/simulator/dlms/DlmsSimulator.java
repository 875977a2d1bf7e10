// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Several simulated DLMS/COSEM meters in one process. Library use:
 *
 * <pre>
 * try (DlmsSimulator sim = DlmsSimulator.builder().count(2).stateDir(dir).start()) {
 *     DlmsMeter meter = sim.meters().get(0);
 *     int port = meter.wrapperPort();               // DLMS wrapper over TCP
 *     meter.faults().noAnswer(true);                // faults at runtime
 *     long credit = meter.firmware().availableCreditMinor();
 * }
 * </pre>
 */
public final class DlmsSimulator implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DlmsSimulator.class.getName());
    /** Serial of the first meter; the others count up from it. */
    public static final long FIRST_SERIAL = 10_000_001L;

    private final List<DlmsMeter> meters;
    private final List<HdlcPtyBridge> bridges;
    private final SimClock clock;
    private final ScheduledExecutorService ticker;

    private DlmsSimulator(List<DlmsMeter> meters, List<HdlcPtyBridge> bridges, SimClock clock) {
        this.meters = Collections.unmodifiableList(meters);
        this.bridges = bridges;
        this.clock = clock;
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dlms-simulator-ticker");
            thread.setDaemon(true);
            return thread;
        });
        // meters act on their own (low credit, disconnection) even when nobody reads them
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    public static Builder builder() {
        return new Builder();
    }

    private void tick() {
        for (DlmsMeter meter : meters) {
            try {
                meter.firmware().advance();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "meter " + meter.config().serial() + " failed to advance", e);
            }
        }
    }

    public List<DlmsMeter> meters() {
        return meters;
    }

    /** The meter with this serial, or null. */
    public DlmsMeter meter(String serial) {
        for (DlmsMeter meter : meters) {
            if (meter.config().serial().equals(serial)) {
                return meter;
            }
        }
        return null;
    }

    /** Pseudo-terminal of meter {@code index}, or null without ptys. */
    public Path ptyPath(int index) {
        return bridges.isEmpty() ? null : bridges.get(index).path();
    }

    public SimClock clock() {
        return clock;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (HdlcPtyBridge bridge : bridges) {
            bridge.close();
        }
        for (DlmsMeter meter : meters) {
            meter.close();
        }
    }

    public static final class Builder {
        private int count = 1;
        private int basePort;
        private long seed = 1;
        private double speedUp = 1;
        private Path stateDir;
        private boolean hdlc;
        private boolean pty;
        private SimClock clock;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private UnaryOperator<DlmsMeterConfig.Builder> customizer = UnaryOperator.identity();

        public Builder count(int count) {
            if (count < 1 || count > 1000) {
                throw new IllegalArgumentException("meter count must be 1..1000, got " + count);
            }
            this.count = count;
            return this;
        }

        /** First TCP port; meter i gets base + 2i (wrapper) and base + 2i + 1 (HDLC). 0 picks free ports. */
        public Builder basePort(int basePort) {
            if (basePort < 0 || basePort > 65535 - 2000) {
                throw new IllegalArgumentException("base port must be 0 (automatic) or 1..63535, got " + basePort);
            }
            this.basePort = basePort;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder speedUp(double speedUp) {
            this.speedUp = speedUp;
            return this;
        }

        /** Where state files (and pty links) go; without it the meters forget everything on close. */
        public Builder stateDir(Path stateDir) {
            this.stateDir = stateDir;
            return this;
        }

        /** Also listen for HDLC frames over TCP. */
        public Builder hdlc(boolean hdlc) {
            this.hdlc = hdlc;
            return this;
        }

        /** Also offer each meter's HDLC port as a pseudo-terminal (needs socat and a state dir). */
        public Builder pty(boolean pty) {
            this.pty = pty;
            return this;
        }

        /** Use this clock (tests: {@link SimClock#frozenAt(Instant)}) instead of one from seed and speed-up. */
        public Builder clock(SimClock clock) {
            this.clock = clock;
            return this;
        }

        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address);
            return this;
        }

        /** Adjusts every meter's configuration (tariff, control mode, test tokens...). */
        public Builder configure(UnaryOperator<DlmsMeterConfig.Builder> customizer) {
            this.customizer = Objects.requireNonNull(customizer);
            return this;
        }

        public DlmsSimulator start() throws IOException {
            if (pty && stateDir == null) {
                throw new IllegalStateException("pseudo-terminals need a state dir to put their links in");
            }
            List<DlmsMeterConfig> configs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String serial = Long.toString(FIRST_SERIAL + i);
                configs.add(customizer.apply(DlmsMeterConfig.builder(serial).seed(seed)).build());
            }
            SimClock simClock = clock != null ? clock : new SimClock(startTime(configs), speedUp);
            List<DlmsMeter> meters = new ArrayList<>();
            List<HdlcPtyBridge> bridges = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    DlmsMeterConfig config = configs.get(i);
                    MeterFirmware meter = MeterFirmware.open(config, simClock, stateFile(config));
                    DlmsMeter dlms = new DlmsMeter(config, meter);
                    meters.add(dlms);
                    dlms.listenWrapper(bindAddress, basePort == 0 ? 0 : basePort + 2 * i);
                    if (hdlc || pty) {
                        dlms.listenHdlc(bindAddress, basePort == 0 ? 0 : basePort + 2 * i + 1);
                    }
                    if (pty) {
                        bridges.add(HdlcPtyBridge.start(stateDir.resolve("dlms-" + config.serial() + ".pty"),
                                dlms.hdlcPort()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                bridges.forEach(HdlcPtyBridge::close);
                meters.forEach(DlmsMeter::close);
                throw e;
            }
            return new DlmsSimulator(meters, bridges, simClock);
        }

        private Path stateFile(DlmsMeterConfig config) {
            return stateDir == null ? null : stateDir.resolve("dlms-" + config.serial() + ".state");
        }

        /** Simulated time continues from where the meters stopped if that is ahead of the wall clock. */
        private Instant startTime(List<DlmsMeterConfig> configs) throws IOException {
            Instant start = Instant.now();
            if (stateDir == null) {
                return start;
            }
            for (DlmsMeterConfig config : configs) {
                Path file = stateFile(config);
                if (Files.exists(file)) {
                    Instant last = Instant.ofEpochMilli(MeterState.load(file).lastSimTimeMillis);
                    if (last.isAfter(start)) {
                        start = last;
                    }
                }
            }
            return start;
        }
    }
}
