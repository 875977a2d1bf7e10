// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metergate.simulator.MeterFixture.fleet;
import static org.metergate.simulator.MeterFixture.meter;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openmuc.j62056.DataMessage;
import org.openmuc.j62056.DataSet;
import org.openmuc.j62056.internal.IdentificationMessage;

/** Feeds the simulator's bytes to j62056 2.2.0's own parsers, as the gateway will. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class J62056ConformanceTest {

    @Test
    void j62056ParsesIdentificationAndReadout() throws Exception {
        SimulatedMeter m1 = meter("m1").serialNumber("31415926").maxBaudRate(19200).build();
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?!\r\n");
            byte[] identBytes = client.readLine().getBytes(StandardCharsets.US_ASCII);
            client.send(new byte[] { Frames.ACK, '0', '6', '0', '\r', '\n' });
            byte[] block = client.readBlock();

            IdentificationMessage ident = new IdentificationMessage(stream(identBytes));
            assertThat(ident.getManufactureId()).isEqualTo("MGS");
            assertThat(ident.getProtocolMode()).isEqualTo(org.openmuc.j62056.internal.ProtocolMode.C);
            assertThat(ident.getBaudRate()).isEqualTo(19200);
            assertThat(ident.getMeterId()).isEqualTo(m1.identification());

            DataMessage message = parseReadout(block, ident);
            List<String> addresses = message.getDataSets().stream().map(DataSet::getAddress).collect(Collectors.toList());
            assertThat(addresses).startsWith("0.0.0", "C.1.0", "0.9.1", "0.9.2", "1.8.0", "1.8.1", "1.8.2", "2.8.0")
                    .contains("32.7.0", "31.7.0", "1.7.0", "14.7.0", "F.F");
            DataSet energy = message.getDataSets().get(4);
            assertThat(energy.getUnit()).isEqualTo("kWh");
            assertThat(Double.parseDouble(energy.getValue())).isPositive();
            assertThat(message.getDataSets().get(0).getValue()).isEqualTo("31415926");
        }
    }

    @Test
    void j62056UnderstandsModeBAndModeEAnnouncements() throws Exception {
        SimulatedMeter b = meter("b").protocolMode(ProtocolMode.B).maxBaudRate(9600).build();
        SimulatedMeter e = meter("e").build();
        e.setModeEHandler((meter, baud, in, out) -> { });
        try (MeterFleet fleet = fleet(b, e);
                RawClient cb = new RawClient(fleet.tcpPort("b"));
                RawClient ce = new RawClient(fleet.tcpPort("e"))) {
            cb.send("/?!\r\n");
            IdentificationMessage identB = new IdentificationMessage(stream(cb.readLine().getBytes(StandardCharsets.US_ASCII)));
            assertThat(identB.getProtocolMode()).isEqualTo(org.openmuc.j62056.internal.ProtocolMode.B);
            assertThat(identB.getBaudRate()).isEqualTo(9600);
            assertThat(parseReadout(cb.readBlock(), identB).getDataSets()).hasSizeGreaterThan(10);

            ce.send("/?!\r\n");
            IdentificationMessage identE = new IdentificationMessage(stream(ce.readLine().getBytes(StandardCharsets.US_ASCII)));
            assertThat(identE.getEnhancedId()).isEqualTo("2");
            assertThat(IdentificationMessage.getEnhancedIdDescription(identE.getEnhancedId())).isEqualTo("(HDLC)");
        }
    }

    @Test
    void j62056RejectsACorruptedBcc() throws Exception {
        SimulatedMeter m1 = meter("m1").build();
        m1.injectFault(Fault.CORRUPT_BCC);
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?!\r\n");
            IdentificationMessage ident = new IdentificationMessage(stream(client.readLine().getBytes(StandardCharsets.US_ASCII)));
            client.send(new byte[] { Frames.ACK, '0', '5', '0', '\r', '\n' });
            byte[] block = client.readBlock();
            Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> parseReadout(block, ident));
            assertThat(error).isNotNull();
            assertThat(error.getCause()).hasMessageStartingWith("Block check character (BCC) does not match");
        }
    }

    private static DataMessage parseReadout(byte[] block, IdentificationMessage ident) throws Exception {
        Method read = DataMessage.class.getDeclaredMethod("readModeAbcDataMessage", DataInputStream.class,
                IdentificationMessage.class);
        read.setAccessible(true);
        return (DataMessage) read.invoke(null, stream(block), ident);
    }

    private static DataInputStream stream(byte[] bytes) {
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }
}
