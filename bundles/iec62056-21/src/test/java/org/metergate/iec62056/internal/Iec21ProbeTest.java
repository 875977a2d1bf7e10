// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.metergate.iec62056.internal.TestConfigs.config;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.discovery.MeterProposal;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkUnavailableException;
import org.metergate.api.meter.MeterSession;
import org.metergate.serial.embedded.SerialLinks;
import org.metergate.simulator.Fault;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.ProtocolMode;
import org.metergate.simulator.SimulatedMeter;

/** The sign-on probe against the simulator on TCP and on a pty, and against links where no meter answers. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Iec21ProbeTest {

    private static final Duration ANSWER = Duration.ofMillis(800);

    @TempDir
    Path ptyDir;

    private final Iec21Probe probe = new Iec21Probe(SerialLinks.linkService());
    private MeterFleet fleet;

    @AfterEach
    void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private SimulatedMeter start(SimulatedMeter.Builder builder) throws Exception {
        SimulatedMeter meter = builder.reactionTime(Duration.ofMillis(20)).build();
        fleet = MeterFleet.builder().wireSpeed(false).ptyDirectory(ptyDir).add(meter, 0).start();
        return meter;
    }

    @Test
    void proposesAConfigurationThatReadsTheMeter() throws Exception {
        SimulatedMeter sim = start(SimulatedMeter.builder("m1").serialNumber("55982395").maxBaudRate(9600));
        LinkAddress link = LinkAddress.tcp("127.0.0.1", fleet.tcpPort("m1"));

        MeterProposal proposal = probe.probe(link, ANSWER).orElseThrow();

        assertThat(proposal.protocol()).isEqualTo("IEC 62056-21");
        assertThat(proposal.factoryPid()).isEqualTo("org.metergate.iec62056.meter");
        assertThat(proposal.identification()).isEqualTo("MGS5" + sim.identification());
        assertThat(proposal.details()).isEqualTo("MGS " + sim.identification() + ", mode C up to 9600 baud");
        assertThat(proposal.meterId()).isEqualTo("MGS" + sim.identification());
        assertThat(proposal.settings()).containsEntry("link", link.toString()).containsEntry("initialBaud", 300);
        assertThat(sim.counters().signOns()).isEqualTo(1);
        assertThat(sim.counters().readoutsCompleted()).isZero();

        // the proposed settings, as ConfigAdmin would hand them to the driver, read the meter
        Iec21Meter meter = new Iec21Meter();
        meter.configure(config(flatten(proposal.settings())), "pid");
        try (MeterSession session = meter.open()) {
            assertThat(session.readRegisters().identification()).contains(sim.serialNumber());
        }
    }

    @Test
    void tellsModeBAndAManufacturer() throws Exception {
        start(SimulatedMeter.builder("m1").protocolMode(ProtocolMode.B).maxBaudRate(4800).manufacturer("ABC"));
        MeterProposal proposal = probe.probe(LinkAddress.tcp("127.0.0.1", fleet.tcpPort("m1")), ANSWER)
                .orElseThrow();
        assertThat(proposal.details()).startsWith("ABC ").endsWith(", mode B up to 4800 baud");
    }

    @Test
    void findsTheMeterOnAPseudoTerminal() throws Exception {
        assumeThat(MeterFleet.ptySupported()).as("socat installed").isTrue();
        SimulatedMeter sim = start(SimulatedMeter.builder("m1"));
        Path pty = fleet.ptyPath("m1").orElseThrow();

        MeterProposal proposal = probe.probe(LinkAddress.serial(pty.toString()), ANSWER).orElseThrow();

        assertThat(proposal.settings()).containsEntry("link", pty.toString());
        assertThat(proposal.identification()).endsWith(sim.identification());
    }

    @Test
    void aSilentMeterIsNoMeterAfterTheRetry() throws Exception {
        SimulatedMeter sim = start(SimulatedMeter.builder("m1"));
        sim.injectFault(Fault.SILENT);
        assertThat(probe.probe(LinkAddress.tcp("127.0.0.1", fleet.tcpPort("m1")), ANSWER)).isEmpty();
        assertThat(sim.counters().signOns()).isEqualTo(Iec21Probe.ATTEMPTS);
    }

    @Test
    void aServerThatSaysNothingOrNoiseIsNoMeter() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    Socket quiet = server.accept();
                    accepted.add(quiet);
                    Socket noisy = server.accept();
                    accepted.add(noisy);
                    noisy.getOutputStream().write("/?!\r\n\u0006x/ERR\r\n".repeat(3).getBytes());
                } catch (IOException e) {
                    // closed by the test
                }
            });
            acceptor.start();
            LinkAddress link = LinkAddress.tcp("127.0.0.1", server.getLocalPort());
            assertThat(probe.probe(link, ANSWER)).isEmpty();
            assertThat(probe.probe(link, ANSWER)).isEmpty();
            acceptor.join(5000);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aMissingPortIsAnErrorNotSilence() {
        assertThatThrownBy(() -> probe.probe(LinkAddress.serial(ptyDir.resolve("nothing").toString()), ANSWER))
                .isInstanceOf(LinkUnavailableException.class);
    }

    @Test
    void readsIdentificationLines() {
        Optional<Identification> modeE = Identification.parse("/ISk5\\2MT382-1000");
        assertThat(modeE).get().extracting(Identification::manufacturer, Identification::text,
                Identification::modeE, Identification::maxBaud).containsExactly("ISk", "MT382-1000", true, 9600);
        assertThat(Identification.parse("/LGZ4ZMD120").orElseThrow().describe())
                .isEqualTo("LGZ ZMD120, mode C up to 4800 baud");
        assertThat(Identification.parse("/XYZ|ABC").orElseThrow().describe()).isEqualTo("XYZ ABC, mode A at 300 baud");
        assertThat(Identification.parse("/?!")).isEmpty();
        assertThat(Identification.parse("MGS5X")).isEmpty();
        assertThat(Identification.parse("/MGS5")).isEmpty();
    }

    private static Object[] flatten(Map<String, Object> settings) {
        List<Object> pairs = new ArrayList<>();
        settings.forEach((k, v) -> {
            pairs.add(k);
            pairs.add(v);
        });
        return pairs.toArray();
    }
}
