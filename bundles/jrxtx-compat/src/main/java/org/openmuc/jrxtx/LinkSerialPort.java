// SPDX-License-Identifier: GPL-3.0-or-later
package org.openmuc.jrxtx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import org.metergate.api.link.ByteLink;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkTimeoutException;
import org.metergate.api.link.LinkUnavailableException;
import org.metergate.jrxtx.PortTraffic;
import org.metergate.serial.ByteLinks;

/** A jrxtx {@link SerialPort} on a Metergate {@link ByteLink}. */
final class LinkSerialPort implements SerialPort, PortTraffic {

    /** Bounds the original API's "0 = wait forever": nothing on a gateway may block without limit. */
    static final Duration INFINITE_TIMEOUT_CEILING = Duration.ofSeconds(60);
    /** Longest wait for a TCP connection, or for a busy local port to be released. */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(5);

    private final String portName;
    private final ByteLink link;
    private final InputStream input;
    private final OutputStream output;
    private volatile Framing framing;
    private volatile FlowControl flowControl;
    private volatile int serialPortTimeout;
    private volatile boolean closed;
    private final AtomicLong received = new AtomicLong();

    private LinkSerialPort(String portName, ByteLink link, Framing framing, FlowControl flowControl)
            throws IOException {
        this.portName = portName;
        this.link = link;
        this.framing = framing;
        this.flowControl = flowControl;
        this.input = new PortInput(link.input());
        this.output = new PortOutput(link.output());
    }

    static LinkSerialPort open(String portName, Framing framing, FlowControl flowControl) throws IOException {
        requireNoFlowControl(flowControl);
        LinkAddress address = addressOf(portName);
        ByteLink link;
        try {
            link = ByteLinks.open(address, framing.toLinkSettings(), OPEN_TIMEOUT);
        } catch (LinkUnavailableException e) {
            throw withCause(new PortNotFoundException(e.getMessage()), e);
        }
        try {
            link.setReadTimeout(INFINITE_TIMEOUT_CEILING);
            return new LinkSerialPort(portName, link, framing, flowControl);
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** {@code tcp://host:port} and {@code host:port} reach a serial server; anything else is a local device. */
    static LinkAddress addressOf(String portName) throws PortNotFoundException {
        if (portName == null || portName.isBlank()) {
            throw new PortNotFoundException("no serial port name given: use a device such as /dev/ttyUSB0 "
                    + "or a serial server as tcp://host:port");
        }
        String name = portName.trim();
        try {
            return name.startsWith("tcp://") || (!name.startsWith("/") && name.contains(":"))
                    ? LinkAddress.parse(name)
                    : LinkAddress.serial(name);
        } catch (IllegalArgumentException e) {
            throw withCause(new PortNotFoundException(e.getMessage()), e);
        }
    }

    private static void requireNoFlowControl(FlowControl flowControl) throws SerialPortException {
        if (flowControl != FlowControl.NONE) {
            throw new SerialPortException("flow control " + flowControl + " is not supported; use NONE");
        }
    }

    private static <T extends IOException> T withCause(T exception, Throwable cause) {
        exception.initCause(cause);
        return exception;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        ensureOpen();
        return input;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        ensureOpen();
        return output;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        link.close();
    }

    @Override
    public boolean isClosed() {
        return closed || !link.isOpen();
    }

    @Override
    public String getPortName() {
        return portName;
    }

    @Override
    public DataBits getDataBits() {
        return framing.dataBits();
    }

    @Override
    public void setDataBits(DataBits dataBits) throws IOException {
        reframe(framing.withDataBits(Objects.requireNonNull(dataBits, "dataBits")));
    }

    @Override
    public Parity getParity() {
        return framing.parity();
    }

    @Override
    public void setParity(Parity parity) throws IOException {
        reframe(framing.withParity(Objects.requireNonNull(parity, "parity")));
    }

    @Override
    public StopBits getStopBits() {
        return framing.stopBits();
    }

    @Override
    public void setStopBits(StopBits stopBits) throws IOException {
        reframe(framing.withStopBits(Objects.requireNonNull(stopBits, "stopBits")));
    }

    @Override
    public int getBaudRate() {
        return framing.baudRate();
    }

    @Override
    public void setBaudRate(int baudRate) throws IOException {
        reframe(framing.withBaudRate(baudRate));
    }

    private synchronized void reframe(Framing newFraming) throws IOException {
        ensureOpen();
        link.configure(newFraming.toLinkSettings());
        framing = newFraming;
    }

    @Override
    public int getSerialPortTimeout() {
        return serialPortTimeout;
    }

    @Override
    public void setSerialPortTimeout(int serialPortTimeout) throws IOException {
        if (serialPortTimeout < 0) {
            throw new IllegalArgumentException("serial port timeout must be >= 0 ms, not " + serialPortTimeout);
        }
        ensureOpen();
        link.setReadTimeout(serialPortTimeout == 0 ? INFINITE_TIMEOUT_CEILING : Duration.ofMillis(serialPortTimeout));
        this.serialPortTimeout = serialPortTimeout;
    }

    @Override
    public void setFlowControl(FlowControl flowControl) throws IOException {
        requireNoFlowControl(flowControl);
        this.flowControl = flowControl;
    }

    @Override
    public FlowControl getFlowControl() {
        return flowControl;
    }

    @Override
    public long bytesReceived() {
        return received.get();
    }

    @Override
    public String toString() {
        return "SerialPort " + portName + " on " + link;
    }

    private void ensureOpen() throws SerialPortException {
        if (isClosed()) {
            throw new SerialPortException("serial port " + portName + " is closed");
        }
    }

    /** Link timeouts become jrxtx timeouts, which jDLMS and j62056 catch as InterruptedIOException. */
    private final class PortInput extends InputStream {

        private final InputStream in;

        PortInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            ensureOpen();
            try {
                int b = in.read();
                if (b >= 0) {
                    received.incrementAndGet();
                }
                return b;
            } catch (LinkTimeoutException e) {
                throw withCause(new SerialPortTimeoutException(e.getMessage()), e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            ensureOpen();
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    received.addAndGet(n);
                }
                return n;
            } catch (LinkTimeoutException e) {
                throw withCause(new SerialPortTimeoutException(e.getMessage()), e);
            }
        }

        @Override
        public int available() throws IOException {
            ensureOpen();
            return in.available();
        }

        @Override
        public void close() throws IOException {
            LinkSerialPort.this.close();
        }
    }

    private final class PortOutput extends OutputStream {

        private final OutputStream out;

        PortOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ensureOpen();
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            ensureOpen();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            LinkSerialPort.this.close();
        }
    }
}
