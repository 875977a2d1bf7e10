// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.metergate.dlms.internal.TestConfigs.config;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.discovery.MeterProposal;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkUnavailableException;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.SimClock;

/** The public-client probe against the DLMS simulator: wrapper and HDLC on TCP, HDLC on a pty, and silence. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DlmsProbeTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:07:00Z");
    private static final Duration ANSWER = Duration.ofMillis(1500);

    @TempDir
    Path dataDir;
    @TempDir
    Path stateDir;

    private final DlmsProbe probe = new DlmsProbe();
    private DlmsSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void proposesAWrapperMeterThatTheDriverReads() throws Exception {
        sim = DlmsSimulator.builder().count(1).stateDir(stateDir).clock(SimClock.frozenAt(NOW)).start();
        org.metergate.simulator.dlms.DlmsMeter meter = sim.meters().get(0);
        LinkAddress link = LinkAddress.tcp("127.0.0.1", meter.wrapperPort());

        MeterProposal proposal = probe.probe(link, ANSWER).orElseThrow();

        assertThat(proposal.protocol()).isEqualTo("DLMS/COSEM");
        assertThat(proposal.factoryPid()).isEqualTo("org.metergate.dlms.meter");
        assertThat(proposal.identification()).contains(meter.config().serial());
        assertThat(proposal.settings()).containsEntry("link", link.toString()).containsEntry("tcpFraming", "WRAPPER")
                .containsEntry("clientId", 1).containsEntry("authentication", "HLS5_GMAC");
        assertThat(proposal.details()).contains("serial number " + meter.config().serial())
                .contains("mg:dlms-key " + proposal.meterId());

        // with the meter's keys entered, the proposed configuration reads it through the management client
        DlmsMeter driver = new DlmsMeter(Clock.systemUTC(), dataDir, InMemoryMeterKeys.of(proposal.meterId(),
                meter.config().authenticationKey(), meter.config().encryptionKey()));
        driver.configure(config(flatten(proposal.settings())), "pid");
        try (CosemSession session = driver.open()) {
            assertThat(session.readRegisters().readings()).hasSize(8);
        }
    }

    @Test
    void findsHdlcBehindASerialServer() throws Exception {
        sim = DlmsSimulator.builder().count(1).hdlc(true).stateDir(stateDir).clock(SimClock.frozenAt(NOW)).start();
        org.metergate.simulator.dlms.DlmsMeter meter = sim.meters().get(0);

        MeterProposal proposal = probe.probe(LinkAddress.tcp("127.0.0.1", meter.hdlcPort()), ANSWER).orElseThrow();

        assertThat(proposal.settings()).containsEntry("tcpFraming", "HDLC");
        assertThat(proposal.details()).startsWith("HDLC, logical device 1");
    }

    @Test
    void findsHdlcOnAPseudoTerminal() throws Exception {
        assumeThat(onPath("socat")).as("socat installed").isTrue();
        sim = DlmsSimulator.builder().count(1).pty(true).stateDir(stateDir).clock(SimClock.frozenAt(NOW)).start();
        Path pty = sim.ptyPath(0);

        MeterProposal proposal = probe.probe(LinkAddress.serial(pty.toString()), ANSWER).orElseThrow();

        assertThat(proposal.settings()).containsEntry("link", pty.toString()).containsEntry("baudRate", 9600)
                .doesNotContainKey("tcpFraming");
        assertThat(proposal.identification()).contains(sim.meters().get(0).config().serial());
        awaitPtyRecreated(pty);
    }

    @Test
    void aServerThatSaysNothingIsNoMeter() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept());
                    }
                } catch (IOException e) {
                    // closed by the test
                }
            });
            acceptor.start();
            assertThat(probe.probe(LinkAddress.tcp("127.0.0.1", server.getLocalPort()), Duration.ofMillis(500)))
                    .isEmpty();
            server.close();
            acceptor.join(5000);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void unreachableServerAndMissingPortAreErrorsNotSilence() throws Exception {
        int closedPort;
        try (ServerSocket server = new ServerSocket(0)) {
            closedPort = server.getLocalPort();
        }
        assertThatThrownBy(() -> probe.probe(LinkAddress.tcp("127.0.0.1", closedPort), ANSWER))
                .isInstanceOf(LinkUnavailableException.class).hasMessageContaining("cannot be reached");
        assertThatThrownBy(() -> probe.probe(LinkAddress.serial(stateDir.resolve("nothing").toString()), ANSWER))
                .isInstanceOf(LinkUnavailableException.class);
    }

    private static Object[] flatten(Map<String, Object> settings) {
        List<Object> pairs = new ArrayList<>();
        settings.forEach((k, v) -> {
            pairs.add(k);
            pairs.add(v);
        });
        return pairs.toArray();
    }

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
