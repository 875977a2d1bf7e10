// SPDX-License-Identifier: GPL-3.0-or-later
package org.openmuc.jrxtx;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** An open serial port (or serial server connection). Obtain one from {@link SerialPortBuilder#build()}. */
public interface SerialPort extends Closeable {

    /** The input stream; closing it closes the port. Reads throw {@link SerialPortTimeoutException} on timeout. */
    InputStream getInputStream() throws IOException;

    /** The output stream; closing it closes the port. */
    OutputStream getOutputStream() throws IOException;

    /** Closes the port and its streams. */
    @Override
    void close() throws IOException;

    boolean isClosed();

    String getPortName();

    DataBits getDataBits();

    void setDataBits(DataBits dataBits) throws IOException;

    Parity getParity();

    void setParity(Parity parity) throws IOException;

    StopBits getStopBits();

    void setStopBits(StopBits stopBits) throws IOException;

    int getBaudRate();

    /** Changes the baud rate after the output queued so far has left the port. */
    void setBaudRate(int baudRate) throws IOException;

    /** The timeout last set, in milliseconds; 0 means "no timeout" as far as the caller is concerned. */
    int getSerialPortTimeout();

    /**
     * Longest wait for the next byte, in milliseconds. 0, which means "wait forever" in the original API, is
     * bounded here by a ceiling of 60 seconds: nothing may block forever on a gateway, and a read that hits the
     * ceiling throws {@link SerialPortTimeoutException} like any other timeout.
     */
    void setSerialPortTimeout(int serialPortTimeout) throws IOException;

    /** Only {@link FlowControl#NONE} is supported. */
    void setFlowControl(FlowControl flowControl) throws IOException;

    FlowControl getFlowControl();
}
