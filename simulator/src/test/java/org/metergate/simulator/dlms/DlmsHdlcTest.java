// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.metergate.simulator.dlms.DlmsClients.attribute;
import static org.metergate.simulator.dlms.DlmsReadoutTest.number;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.SelectiveAccessDescription;
import org.openmuc.jdlms.TcpConnectionBuilder;
import org.openmuc.jdlms.datatypes.DataObject;

/** HDLC framing: over TCP, through a pseudo-terminal, and handed over from an IEC 62056-21 mode E session. */
@Timeout(30)
class DlmsHdlcTest {
    @TempDir
    static Path stateDir;
    private static DlmsSimulator simulator;
    private static DlmsMeter meter;

    @BeforeAll
    static void start() throws Exception {
        simulator = DlmsSimulator.builder().seed(11).hdlc(true).stateDir(stateDir)
                .clock(SimClock.frozenAt(Instant.parse("2026-03-04T06:30:00Z"))).start();
        meter = simulator.meters().get(0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @AfterEach
    void clearFaults() {
        meter.faults().clear();
    }

    private static TcpConnectionBuilder hdlc(int port, int clientId) {
        return DlmsClients.base(port, clientId).useHdlc();
    }

    @Test
    void public_and_management_clients_work_over_hdlc() throws Exception {
        try (DlmsConnection connection = hdlc(meter.hdlcPort(), 16).build()) {
            assertThat(number(connection.get(attribute(3, "1-0:1.8.0.255", 2)).getResultData()))
                    .isEqualTo(meter.firmware().importWh());
        }
        TcpConnectionBuilder management = DlmsClients.management(hdlc(meter.hdlcPort(), 1), meter.wrapperPort(),
                meter.config().authenticationKey(), meter.config().encryptionKey());
        try (DlmsConnection connection = management.build()) {
            // a day of load profile needs HDLC segmentation and block transfer
            DataObject day = DataObject.newStructureData(
                    DataObject.newUInteger32Data(1),
                    DataObject.newUInteger32Data(96),
                    DataObject.newUInteger16Data(1),
                    DataObject.newUInteger16Data(0));
            List<?> buffer = connection.get(new AttributeAddress(7, Obis.code("1-0:99.1.0.255"), 2,
                    new SelectiveAccessDescription(2, day))).getResultData().getValue();
            assertThat(buffer).hasSize(96);
            assertThat(connection.get(attribute(111, "0-0:19.0.0.255", 5)).getResultCode())
                    .isEqualTo(AccessResultCode.SUCCESS);
        }
    }

    @Test
    void one_line_carries_several_hdlc_sessions() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (DlmsConnection connection = hdlc(meter.hdlcPort(), 16).build()) {
                assertThat(connection.get(attribute(1, "0-0:96.1.0.255", 2)).getResultCode())
                        .isEqualTo(AccessResultCode.SUCCESS);
            }
        }
    }

    @Test
    void corrupted_fcs_loses_the_answer_and_the_meter_recovers() throws Exception {
        meter.faults().corruptNextFrames(1);
        assertThatThrownBy(() -> hdlc(meter.hdlcPort(), 16).setResponseTimeout(500).build().close())
                .isInstanceOf(IOException.class);
        try (DlmsConnection connection = hdlc(meter.hdlcPort(), 16).build()) {
            assertThat(connection.get(attribute(3, "1-0:1.8.0.255", 2)).getResultCode())
                    .isEqualTo(AccessResultCode.SUCCESS);
        }
    }

    @Test
    void unknown_client_gets_a_refusal_over_hdlc() {
        assertThatThrownBy(() -> hdlc(meter.hdlcPort(), 42).build().close()).isInstanceOf(IOException.class)
                .hasMessageContaining("REJECTED");
    }

    @Test
    void mode_e_hands_the_line_to_an_hdlc_session() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (ServerSocket iecPort = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // stands in for the IEC 62056-21 side: after "ACK 2 Z Y" it calls the handler with its streams
            Future<Boolean> served = executor.submit(() -> {
                try (Socket line = iecPort.accept()) {
                    meter.serveHdlcSession(line.getInputStream(), line.getOutputStream());
                    return !line.isClosed();
                }
            });
            try (DlmsConnection connection = hdlc(iecPort.getLocalPort(), 16).build()) {
                assertThat(connection.get(attribute(8, "0-0:1.0.0.255", 2)).getResultCode())
                        .isEqualTo(AccessResultCode.SUCCESS);
            }
            assertThat(served.get(10, TimeUnit.SECONDS)).as("streams left open for the IEC side").isTrue();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void meter_answers_on_a_pseudo_terminal() throws Exception {
        assumeTrue(HdlcPtyBridge.socatAvailable(), "socat is not installed");
        Path link = stateDir.resolve("meter.pty");
        Process clientBridge = null;
        try (HdlcPtyBridge pty = HdlcPtyBridge.start(link, meter.hdlcPort());
                ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(Files.exists(link)).isTrue();
            int clientPort = probe.getLocalPort();
            probe.close();
            // the client end of the serial line: a second socat turns the pty back into a TCP port for jDLMS
            clientBridge = new ProcessBuilder("socat", "tcp-listen:" + clientPort + ",bind=127.0.0.1,reuseaddr",
                    "file:" + link + ",raw,echo=0").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (DlmsConnection connection = connectWhenListening(hdlc(clientPort, 16))) {
                assertThat(number(connection.get(attribute(3, "1-0:1.8.0.255", 2)).getResultData()))
                        .isEqualTo(meter.firmware().importWh());
            }
        } finally {
            if (clientBridge != null) {
                clientBridge.destroy();
                clientBridge.waitFor(2, TimeUnit.SECONDS);
            }
        }
    }

    /** socat needs a moment to listen; it accepts exactly one connection, so no probing with a socket. */
    private static DlmsConnection connectWhenListening(TcpConnectionBuilder builder) throws Exception {
        for (int attempt = 0;; attempt++) {
            try {
                return builder.build();
            } catch (java.net.ConnectException e) {
                if (attempt > 100) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
