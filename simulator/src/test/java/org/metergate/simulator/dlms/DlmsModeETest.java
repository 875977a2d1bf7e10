// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metergate.simulator.dlms.DlmsClients.attribute;
import static org.metergate.simulator.dlms.DlmsReadoutTest.number;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.ProtocolMode;
import org.metergate.simulator.SimulatedMeter;
import org.openmuc.jdlms.DlmsConnection;

/** IEC 62056-21 sign-on, mode E option select, then DLMS over HDLC on the same line. */
@Timeout(30)
class DlmsModeETest {

    @Test
    void iec_meter_switches_to_dlms_hdlc_in_mode_e() throws Exception {
        ExecutorService pumps = Executors.newFixedThreadPool(3);
        try (DlmsSimulator dlms = DlmsSimulator.builder().seed(9)
                .clock(SimClock.frozenAt(Instant.parse("2026-03-02T12:00:00Z"))).start()) {
            DlmsMeter dlmsMeter = dlms.meters().get(0);
            SimulatedMeter iecMeter = SimulatedMeter.builder("m1").protocolMode(ProtocolMode.C).build();
            iecMeter.setModeEHandler(new DlmsModeEHandler(dlmsMeter));
            try (MeterFleet fleet = MeterFleet.builder().add(iecMeter, 0).wireSpeed(false).start();
                    Socket optical = new Socket(InetAddress.getLoopbackAddress(), fleet.tcpPort("m1"));
                    ServerSocket hdlcSide = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                optical.setSoTimeout(5_000);
                OutputStream toMeter = optical.getOutputStream();
                InputStream fromMeter = optical.getInputStream();
                toMeter.write("/?!\r\n".getBytes(StandardCharsets.US_ASCII));
                String identification = readLine(fromMeter);
                assertThat(identification).contains("\\2"); // the meter offers mode E
                char baud = identification.charAt(4);
                toMeter.write(new byte[] { 0x06, '2', (byte) baud, '2', '\r', '\n' });
                toMeter.flush();

                // the jDLMS client speaks HDLC over TCP; pump its bytes onto the optical line
                pumps.execute(() -> {
                    try (Socket client = hdlcSide.accept()) {
                        pumps.execute(() -> copy(fromMeter, clientOut(client)));
                        copy(client.getInputStream(), toMeter);
                    } catch (IOException e) {
                        // test ends
                    }
                });
                try (DlmsConnection connection = DlmsClients.base(hdlcSide.getLocalPort(), 16).useHdlc().build()) {
                    assertThat(number(connection.get(attribute(3, "1-0:1.8.0.255", 2)).getResultData()))
                            .isEqualTo(dlmsMeter.firmware().importWh());
                }
                assertThat(iecMeter.counters().modeESessions()).isEqualTo(1);
            }
        } finally {
            pumps.shutdownNow();
            pumps.awaitTermination(2, TimeUnit.SECONDS);
        }
    }

    private static OutputStream clientOut(Socket client) {
        try {
            return client.getOutputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(InputStream in, OutputStream out) {
        byte[] buffer = new byte[1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII).trim();
    }
}
