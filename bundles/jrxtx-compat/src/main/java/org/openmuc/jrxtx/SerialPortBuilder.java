// SPDX-License-Identifier: GPL-3.0-or-later
package org.openmuc.jrxtx;

import java.io.IOException;
import java.util.List;

import org.metergate.api.link.PortInfo;
import org.metergate.serial.ByteLinks;

/**
 * Collects port settings and opens the port through Metergate links. A port name {@code tcp://host:port} or
 * {@code host:port} connects to a serial server in raw mode; anything else names a local serial device.
 * Defaults as in the original API: 9600 baud, 8 data bits, even parity, 1 stop bit, no flow control.
 */
public class SerialPortBuilder {

    private String portName;
    private int baudRate = 9600;
    private DataBits dataBits = DataBits.DATABITS_8;
    private Parity parity = Parity.EVEN;
    private StopBits stopBits = StopBits.STOPBITS_1;
    private FlowControl flowControl = FlowControl.NONE;

    private SerialPortBuilder(String portName) {
        this.portName = portName;
    }

    /** Paths of the local serial ports present on this system (ports are not opened to list them). */
    public static String[] getSerialPortNames() {
        List<PortInfo> ports = ByteLinks.listPorts(false);
        return ports.stream().map(PortInfo::path).toArray(String[]::new);
    }

    public static SerialPortBuilder newBuilder(String portName) {
        return new SerialPortBuilder(portName);
    }

    public SerialPortBuilder setPortName(String portName) {
        this.portName = portName;
        return this;
    }

    public SerialPortBuilder setBaudRate(int baudRate) {
        this.baudRate = baudRate;
        return this;
    }

    public SerialPortBuilder setDataBits(DataBits dataBits) {
        this.dataBits = dataBits;
        return this;
    }

    public SerialPortBuilder setParity(Parity parity) {
        this.parity = parity;
        return this;
    }

    public SerialPortBuilder setStopBits(StopBits stopBits) {
        this.stopBits = stopBits;
        return this;
    }

    public SerialPortBuilder setFlowControl(FlowControl flowControl) {
        this.flowControl = flowControl;
        return this;
    }

    /**
     * Opens the port.
     *
     * @throws PortNotFoundException the device does not exist or is busy, or the serial server cannot be reached
     * @throws SerialPortException the settings are not supported
     */
    public SerialPort build() throws IOException {
        return LinkSerialPort.open(portName, new Framing(baudRate, dataBits, parity, stopBits), flowControl);
    }
}
