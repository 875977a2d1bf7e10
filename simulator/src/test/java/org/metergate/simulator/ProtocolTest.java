// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metergate.simulator.MeterFixture.fleet;
import static org.metergate.simulator.MeterFixture.meter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ProtocolTest {

    private static final Pattern DATA_SET = Pattern.compile("([^(]+)\\(([^*)]*)(?:\\*([^)]*))?\\)");

    @Test
    void modeCReadoutHasIdentificationDataSetsAndValidBcc() throws Exception {
        SimulatedMeter m1 = meter("m1").serialNumber("12345678").maxBaudRate(9600).build();
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?!\r\n");
            assertThat(client.readLine()).isEqualTo("/MGS5MGSIM12345678\r\n");

            client.send(new byte[] { Frames.ACK, '0', '5', '0', '\r', '\n' });
            byte[] block = client.readBlock();

            assertThat(block[0]).isEqualTo(Frames.STX);
            assertThat(block[block.length - 2]).isEqualTo(Frames.ETX);
            assertThat(RawClient.bccValid(block)).isTrue();
            String text = RawClient.text(block);
            assertThat(text).endsWith("\r\n!\r\n");
            Map<String, String[]> sets = parseDataSets(text);
            assertThat(sets).containsKeys("0.0.0", "C.1.0", "0.9.1", "0.9.2", "1.8.0", "1.8.1", "1.8.2", "2.8.0",
                    "32.7.0", "31.7.0", "1.7.0", "14.7.0", "F.F");
            assertThat(sets.get("0.0.0")[0]).isEqualTo("12345678");
            assertThat(sets.get("0.9.1")[0]).isEqualTo("120000");
            assertThat(sets.get("0.9.2")[0]).isEqualTo("260615");
            assertThat(sets.get("1.8.0")[0]).matches("\\d{6}\\.\\d{3}");
            assertThat(sets.get("1.8.0")[1]).isEqualTo("kWh");
            assertThat(sets.get("32.7.0")[1]).isEqualTo("V");
            assertThat(sets.get("14.7.0")[1]).isEqualTo("Hz");
            assertThat(sets.get("F.F")[0]).isEqualTo("00000000");
            long total = wh(sets.get("1.8.0")[0]);
            assertThat(total).isEqualTo(wh(sets.get("1.8.1")[0]) + wh(sets.get("1.8.2")[0]));
            assertThat(m1.counters().readoutsCompleted()).isEqualTo(1);
            assertThat(m1.counters().sessionsServed()).isEqualTo(1);

            // the meter is back at sign-on: a second readout on the same connection works
            client.send("/?!\r\n");
            assertThat(client.readLine()).startsWith("/MGS5");
            client.send(new byte[] { Frames.ACK, '0', '0', '0', '\r', '\n' });
            assertThat(RawClient.bccValid(client.readBlock())).isTrue();
            assertThat(m1.counters().readoutsCompleted()).isEqualTo(2);
        }
    }

    @Test
    void optionSelectAboveOfferedBaudIsIgnored() throws Exception {
        SimulatedMeter m1 = meter("m1").maxBaudRate(2400).build();
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?!\r\n");
            assertThat(client.readLine()).startsWith("/MGS3");
            client.send(new byte[] { Frames.ACK, '0', '5', '0', '\r', '\n' });
            assertThat(client.readFor(300)).isEmpty();
            assertThat(m1.counters().readoutsCompleted()).isZero();
        }
    }

    @Test
    void modeAReadsOutRightAfterIdentification() throws Exception {
        SimulatedMeter m1 = meter("m1").protocolMode(ProtocolMode.A).build();
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?!\r\n");
            String ident = client.readLine();
            assertThat(ident.charAt(4)).isEqualTo('X'); // no baud switch in mode A
            byte[] block = client.readBlock();
            assertThat(RawClient.bccValid(block)).isTrue();
            assertThat(RawClient.text(block)).contains("1.8.0(");
        }
    }

    @Test
    void modeBAnnouncesItsBaudLetterAndReadsOut() throws Exception {
        SimulatedMeter m1 = meter("m1").protocolMode(ProtocolMode.B).maxBaudRate(4800).build();
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?!\r\n");
            assertThat(client.readLine().charAt(4)).isEqualTo('D'); // D = 4800 in mode B
            assertThat(RawClient.bccValid(client.readBlock())).isTrue();
            assertThat(m1.counters().readoutsCompleted()).isEqualTo(1);
        }
    }

    @Test
    void answersOnlyToItsOwnDeviceAddress() throws Exception {
        SimulatedMeter m1 = meter("m1").deviceAddress("4711").build();
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?9999!\r\n");
            assertThat(client.readFor(300)).isEmpty();
            assertThat(m1.counters().signOns()).isZero();

            client.send("/?4711!\r\n");
            assertThat(client.readLine()).startsWith("/MGS5");
        }
    }

    @Test
    void programmingModeSendsPasswordPromptAndAnswersRegisterReads() throws Exception {
        SimulatedMeter m1 = meter("m1").serialNumber("87654321").build();
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?!\r\n");
            client.readLine();
            client.send(new byte[] { Frames.ACK, '0', '5', '1', '\r', '\n' });
            byte[] p0 = client.readBlock();
            assertThat(p0[0]).isEqualTo(Frames.SOH);
            assertThat(new String(p0, 1, p0.length - 3, StandardCharsets.US_ASCII)).isEqualTo("P0\u0002(87654321)");
            assertThat(RawClient.bccValid(p0)).isTrue();

            client.send(command("P1", "(00000000)"));
            assertThat(client.readByte()).isEqualTo(Frames.ACK);

            client.send(command("R1", "1.8.0()"));
            byte[] answer = client.readBlock();
            assertThat(RawClient.bccValid(answer)).isTrue();
            assertThat(RawClient.text(answer)).matches("\\(\\d{6}\\.\\d{3}\\*kWh\\)");

            client.send(command("R1", "99.99.99()"));
            assertThat(RawClient.text(client.readBlock())).isEqualTo("(ERROR)");

            byte[] badBcc = command("R1", "1.8.0()");
            badBcc[badBcc.length - 1] ^= 0x01;
            client.send(badBcc);
            assertThat(client.readByte()).isEqualTo(Frames.NAK);

            client.send(new byte[] { Frames.SOH, 'B', '0', Frames.ETX, (byte) ('B' ^ '0' ^ Frames.ETX) });
            assertThat(client.readFor(200)).isEmpty();
            assertThat(m1.counters().programmingSessions()).isEqualTo(1);
            assertThat(m1.counters().programmingReads()).isEqualTo(1);

            client.send("/?!\r\n"); // after B0 the meter waits for a new sign-on
            assertThat(client.readLine()).startsWith("/MGS");
        }
    }

    @Test
    void modeEHandsTheLineToTheHandlerAndIsSilentWithoutOne() throws Exception {
        SimulatedMeter m1 = meter("m1").build();
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?!\r\n");
            assertThat(client.readLine()).doesNotContain("\\2");
            client.send(new byte[] { Frames.ACK, '2', '5', '2', '\r', '\n' });
            assertThat(client.readFor(300)).isEmpty();

            int[] seenBaud = new int[1];
            m1.setModeEHandler((meter, baud, in, out) -> {
                seenBaud[0] = baud;
                int b = in.read();
                out.write(new byte[] { 0x7E, (byte) b, 0x7E });
                out.flush();
            });
            client.send("/?!\r\n");
            assertThat(client.readLine()).startsWith("/MGS5\\2");
            client.send(new byte[] { Frames.ACK, '2', '5', '2', '\r', '\n' });
            client.send(new byte[] { 0x42 });
            assertThat(new byte[] { (byte) client.readByte(), (byte) client.readByte(), (byte) client.readByte() })
                    .containsExactly(0x7E, 0x42, 0x7E);
            assertThat(seenBaud[0]).isEqualTo(9600);
            assertThat(m1.counters().modeESessions()).isEqualTo(1);
        }
    }

    @Test
    void metersOnOneFleetAreIndependent() throws Exception {
        SimulatedMeter m1 = meter("m1").build();
        SimulatedMeter m2 = meter("m2").build();
        m2.injectFault(Fault.SILENT);
        try (MeterFleet fleet = fleet(m1, m2);
                RawClient c1 = new RawClient(fleet.tcpPort("m1"));
                RawClient c2 = new RawClient(fleet.tcpPort("m2"))) {
            assertThat(fleet.tcpPort("m1")).isNotEqualTo(fleet.tcpPort("m2"));
            c2.send("/?!\r\ngarbage\u0000\u0001");
            c1.send("/?!\r\n");
            assertThat(c1.readLine()).contains(m1.serialNumber());
            assertThat(m1.serialNumber()).isNotEqualTo(m2.serialNumber());
        }
    }

    static byte[] command(String command, String data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Frames.SOH);
        out.writeBytes(command.getBytes(StandardCharsets.US_ASCII));
        out.write(Frames.STX);
        out.writeBytes(data.getBytes(StandardCharsets.US_ASCII));
        out.write(Frames.ETX);
        byte[] body = out.toByteArray();
        out.write(Frames.bcc(body, 1, body.length));
        return out.toByteArray();
    }

    /** Parses the data block the way j62056's DataSet does: address '(' value ['*' unit] ')', lines split by CR LF. */
    static Map<String, String[]> parseDataSets(String text) {
        Map<String, String[]> sets = new LinkedHashMap<>();
        for (String line : text.split("\r\n")) {
            if (line.equals("!")) {
                break;
            }
            Matcher m = DATA_SET.matcher(line);
            assertThat(m.matches()).as("data set line '%s'", line).isTrue();
            sets.put(m.group(1), new String[] { m.group(2), m.group(3) == null ? "" : m.group(3) });
        }
        return sets;
    }

    private static long wh(String kWh) {
        return Math.round(Double.parseDouble(kWh) * 1000);
    }
}
