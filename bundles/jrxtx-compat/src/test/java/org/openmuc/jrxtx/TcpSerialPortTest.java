// SPDX-License-Identifier: GPL-3.0-or-later
package org.openmuc.jrxtx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The adapter over a raw TCP link, the way j62056 and jDLMS drive it. */
@Timeout(10)
class TcpSerialPortTest {

    private ServerSocket server;

    @BeforeEach
    void startServer() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    private SerialPort openSignOnPort(String name) throws IOException {
        return SerialPortBuilder.newBuilder(name).setDataBits(DataBits.DATABITS_7).setStopBits(StopBits.STOPBITS_1)
                .setParity(Parity.EVEN).setBaudRate(300).build();
    }

    @Test
    void readsAndWritesThroughTheServer() throws IOException {
        try (SerialPort port = openSignOnPort("tcp://127.0.0.1:" + server.getLocalPort());
                Socket meter = server.accept()) {
            assertThat(port.getPortName()).isEqualTo("tcp://127.0.0.1:" + server.getLocalPort());
            port.getOutputStream().write("/?!\r\n".getBytes(StandardCharsets.US_ASCII));
            port.getOutputStream().flush();
            assertThat(new String(meter.getInputStream().readNBytes(5), StandardCharsets.US_ASCII))
                    .isEqualTo("/?!\r\n");

            meter.getOutputStream().write("/XYZ5\r\n".getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(port.getInputStream());
            assertThat(in.readByte()).isEqualTo((byte) '/');
            byte[] rest = new byte[6];
            in.readFully(rest);
            assertThat(new String(rest, StandardCharsets.US_ASCII)).isEqualTo("XYZ5\r\n");
            assertThat(((org.metergate.jrxtx.PortTraffic) port).bytesReceived()).isEqualTo(7);
        }
    }

    @Test
    void hostPortWithoutSchemeIsATcpLink() throws IOException {
        try (SerialPort port = openSignOnPort("127.0.0.1:" + server.getLocalPort());
                Socket meter = server.accept()) {
            port.getOutputStream().write(0x06);
            assertThat(meter.getInputStream().read()).isEqualTo(0x06);
        }
    }

    @Test
    void silenceRaisesSerialPortTimeout() throws IOException {
        try (SerialPort port = openSignOnPort("tcp://127.0.0.1:" + server.getLocalPort());
                Socket meter = server.accept()) {
            port.setSerialPortTimeout(150);
            assertThat(port.getSerialPortTimeout()).isEqualTo(150);
            assertThatThrownBy(() -> port.getInputStream().read()).isInstanceOf(SerialPortTimeoutException.class)
                    .isInstanceOf(InterruptedIOException.class).hasMessageContaining("150 ms");
            assertThatThrownBy(() -> port.getInputStream().read(new byte[4], 0, 4))
                    .isInstanceOf(SerialPortTimeoutException.class);
            // still usable after a timeout, as in the original API
            meter.getOutputStream().write(0x15);
            assertThat(port.getInputStream().read()).isEqualTo(0x15);
            assertThat(port.isClosed()).isFalse();
        }
    }

    @Test
    void zeroTimeoutIsReportedAsZero() throws IOException {
        try (SerialPort port = openSignOnPort("tcp://127.0.0.1:" + server.getLocalPort());
                Socket meter = server.accept()) {
            port.setSerialPortTimeout(0);
            assertThat(port.getSerialPortTimeout()).isZero();
            assertThatThrownBy(() -> port.setSerialPortTimeout(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void baudSwitchAndFramingChangesAreAccepted() throws IOException {
        try (SerialPort port = openSignOnPort("tcp://127.0.0.1:" + server.getLocalPort());
                Socket meter = server.accept()) {
            port.setBaudRate(9600);
            port.setDataBits(DataBits.DATABITS_8);
            port.setParity(Parity.NONE);
            assertThat(port.getBaudRate()).isEqualTo(9600);
            assertThat(port.getDataBits()).isEqualTo(DataBits.DATABITS_8);
            assertThat(port.getParity()).isEqualTo(Parity.NONE);
            assertThat(port.getStopBits()).isEqualTo(StopBits.STOPBITS_1);
            assertThat(port.getFlowControl()).isEqualTo(FlowControl.NONE);
        }
    }

    @Test
    void unsupportedSettingsAreRejectedAndLeaveThePortAsItWas() throws IOException {
        try (SerialPort port = openSignOnPort("tcp://127.0.0.1:" + server.getLocalPort());
                Socket meter = server.accept()) {
            assertThatThrownBy(() -> port.setParity(Parity.MARK)).isInstanceOf(SerialPortException.class)
                    .hasMessageContaining("MARK");
            assertThatThrownBy(() -> port.setBaudRate(0)).isInstanceOf(SerialPortException.class);
            assertThatThrownBy(() -> port.setFlowControl(FlowControl.RTS_CTS))
                    .isInstanceOf(SerialPortException.class);
            assertThat(port.getParity()).isEqualTo(Parity.EVEN);
            assertThat(port.getBaudRate()).isEqualTo(300);
        }
    }

    @Test
    void closingTheInputStreamClosesThePort() throws IOException {
        SerialPort port = openSignOnPort("tcp://127.0.0.1:" + server.getLocalPort());
        try (Socket meter = server.accept()) {
            port.getInputStream().close();
            assertThat(port.isClosed()).isTrue();
            assertThatThrownBy(port::getOutputStream).isInstanceOf(SerialPortException.class);
            assertThat(meter.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void refusedServerIsPortNotFound() throws IOException {
        int port = server.getLocalPort();
        server.close();
        assertThatThrownBy(() -> openSignOnPort("tcp://127.0.0.1:" + port))
                .isInstanceOf(PortNotFoundException.class).hasMessageContaining("refused the connection");
    }
}
