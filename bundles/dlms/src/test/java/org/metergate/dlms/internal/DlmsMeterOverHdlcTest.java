// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.metergate.dlms.internal.TestConfigs.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.cosem.CosemAttribute;
import org.metergate.api.cosem.CosemData;
import org.metergate.api.cosem.CosemMethod;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.meter.MeterReadout;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.SimClock;

/** HDLC framing: over TCP (what a serial server forwards) and on a pseudo-terminal through jrxtx-compat. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DlmsMeterOverHdlcTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:07:00Z");

    @TempDir
    Path dataDir;
    @TempDir
    Path stateDir;

    private DlmsSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private DlmsMeter driver(org.metergate.simulator.dlms.DlmsMeter meter, Object... keyValues) throws IOException {
        DlmsMeter driver = new DlmsMeter(Clock.systemUTC(), dataDir,
                InMemoryMeterKeys.of("m1", meter.config().authenticationKey(), meter.config().encryptionKey()));
        driver.configure(config(keyValues), "fallback");
        return driver;
    }

    @Test
    void readsAndActsOverHdlcOnTcp() throws Exception {
        sim = DlmsSimulator.builder().count(1).hdlc(true).stateDir(stateDir).clock(SimClock.frozenAt(NOW))
                .configure(c -> c.controlMode(2)).start();
        org.metergate.simulator.dlms.DlmsMeter meter = sim.meters().get(0);
        DlmsMeter driver = driver(meter, "link", "tcp://127.0.0.1:" + meter.hdlcPort(), "tcpFraming", "HDLC",
                "responseTimeoutMs", 2000);
        try (CosemSession session = driver.open()) {
            MeterReadout readout = session.readRegisters();
            assertThat(readout.readings()).hasSize(8);
            assertThat(readout.readAt()).isEqualTo(NOW);
            session.action(CosemMethod.of(70, "0-0:96.3.10.255", 1), CosemData.noParameter());
            assertThat(session.get(CosemAttribute.of(70, "0-0:96.3.10.255", 2)))
                    .isEqualTo(new CosemData.BooleanData(false));
        }
        assertThat(meter.firmware().relayConnected()).isFalse();
        // the next session continues above the counter the meter has seen
        try (CosemSession session = driver.open()) {
            assertThat(session.readRegisters().readings()).hasSize(8);
        }
    }

    @Test
    void readsOverHdlcOnAPseudoTerminal() throws Exception {
        assumeThat(onPath("socat")).as("socat installed").isTrue();
        sim = DlmsSimulator.builder().count(1).pty(true).stateDir(stateDir).clock(SimClock.frozenAt(NOW)).start();
        org.metergate.simulator.dlms.DlmsMeter meter = sim.meters().get(0);
        Path pty = sim.ptyPath(0);
        // one association per session: socat recreates the pty link after each close, which a second association
        // (the public client's counter read) would race with
        DlmsMeter driver = driver(meter, "link", pty.toString(), "baudRate", 9600, "responseTimeoutMs", 3000,
                "invocationCounterObis", "");
        try (CosemSession session = driver.open()) {
            MeterReadout readout = session.readRegisters();
            assertThat(readout.readings()).hasSize(8);
            assertThat(session.get(CosemAttribute.of(111, "0-0:19.0.0.255", 5)).asLong())
                    .isEqualTo(meter.firmware().availableCreditMinor());
        }
        awaitPtyRecreated(pty);
    }

    /**
     * socat ends with the session and the simulator starts a new one; closing the simulator while that restart is
     * under way can leave a socat behind, so the test lets the restart finish first (bounded).
     */
    private static void awaitPtyRecreated(Path pty) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (Files.exists(pty) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        while (!Files.exists(pty) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
