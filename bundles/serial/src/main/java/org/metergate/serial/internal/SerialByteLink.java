// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.serial.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;

import org.metergate.api.link.ByteLink;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkSettings;
import org.metergate.api.link.LinkTimeoutException;
import org.metergate.api.link.LinkUnavailableException;

/** A local serial port through jSerialComm. Reads wait at most the read timeout, then throw. */
public final class SerialByteLink implements ByteLink {

    private static final Duration BUSY_RETRY_PAUSE = Duration.ofMillis(100);
    /** Extra allowance beyond the computed transmit time when waiting for output to drain. */
    private static final long DRAIN_MARGIN_MS = 1000;
    private static final int DISCARD_MAX_ROUNDS = 64;

    private final LinkAddress address;
    private final SerialPort port;
    private final Object configLock = new Object();
    private final InputStream input = new PortInput();
    private final OutputStream output = new PortOutput();
    private volatile LineFraming framing;
    private volatile Duration readTimeout;
    private volatile boolean open = true;

    private SerialByteLink(LinkAddress address, SerialPort port, LineFraming framing, Duration readTimeout) {
        this.address = address;
        this.port = port;
        this.framing = framing;
        this.readTimeout = readTimeout;
    }

    /**
     * Opens the device (symbolic links such as socat's {@code link=} are followed). A busy port is retried
     * until {@code openTimeout}, so a session that is just closing does not fail the next one.
     */
    public static SerialByteLink open(LinkAddress address, LinkSettings settings, Duration openTimeout,
            Duration readTimeout) throws IOException {
        String device = address.device();
        SerialPort port = lookUp(device);
        port.setComPortParameters(settings.baudRate(), 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, Durations.positiveMillis(readTimeout), 0);
        openExclusively(port, device, openTimeout);
        try {
            LineFraming framing = applyFraming(port, device, settings);
            return new SerialByteLink(address, port, framing, readTimeout);
        } catch (IOException | RuntimeException e) {
            port.closePort();
            throw e;
        }
    }

    private static SerialPort lookUp(String device) throws LinkUnavailableException {
        if (device.startsWith("/") && !Files.exists(Path.of(device))) {
            throw doesNotExist(device);
        }
        try {
            return SerialPort.getCommPort(device);
        } catch (SerialPortInvalidPortException e) {
            throw doesNotExist(device);
        }
    }

    private static LinkUnavailableException doesNotExist(String device) {
        return new LinkUnavailableException("serial port " + device + " does not exist (present: "
                + SerialPorts.presentPortNames() + ")");
    }

    private static void openExclusively(SerialPort port, String device, Duration openTimeout)
            throws IOException {
        long deadline = System.nanoTime() + openTimeout.toNanos();
        while (true) {
            if (port.openPort(0)) {
                return;
            }
            int errno = port.getLastErrorCode();
            if (device.startsWith("/") && !Files.exists(Path.of(device))) {
                throw doesNotExist(device); // unplugged while we were opening it
            }
            if (SerialPorts.isPermissionError(errno)) {
                throw new LinkUnavailableException("no permission to open serial port " + device
                        + " — run the gateway as a user in group 'dialout' (or the group owning the device)");
            }
            if (!SerialPorts.isBusyError(errno)) {
                throw new LinkUnavailableException("serial port " + device + " could not be opened (system error "
                        + errno + ") — is the adapter plugged in and working?");
            }
            if (System.nanoTime() + BUSY_RETRY_PAUSE.toNanos() > deadline) {
                throw new LinkUnavailableException(
                        "serial port " + device + " is busy — another program has it open");
            }
            pause(BUSY_RETRY_PAUSE.toMillis());
        }
    }

    private static LineFraming applyFraming(SerialPort port, String device, LinkSettings settings)
            throws IOException {
        String resolved = port.getSystemPortPath();
        if (LineFraming.isPseudoTerminal(resolved) && LineFraming.pseudoTerminalIgnores(settings)) {
            return fallBack(port, device, settings, "pseudo-terminal " + resolved + " cannot do " + settings);
        }
        if (LineFraming.apply(port, settings)) {
            return LineFraming.exact(settings);
        }
        if (LineFraming.pseudoTerminalIgnores(settings)) {
            return fallBack(port, device, settings, device + " refused " + settings);
        }
        throw new IOException("serial port " + device + " refused framing " + settings
                + " — does the adapter support this baud rate?");
    }

    private static LineFraming fallBack(SerialPort port, String device, LinkSettings settings, String reason)
            throws IOException {
        LineFraming framing = LineFraming.eightBitFallback(settings, reason);
        if (!LineFraming.apply(port, framing.onLine())) {
            throw new IOException("serial port " + device + " refused framing " + framing.onLine()
                    + " — does the adapter support this baud rate?");
        }
        return framing;
    }

    @Override
    public LinkAddress address() {
        return address;
    }

    @Override
    public InputStream input() throws IOException {
        ensureOpen();
        return input;
    }

    @Override
    public OutputStream output() throws IOException {
        ensureOpen();
        return output;
    }

    /** The framing the caller asked for; see {@link #toString()} for what the line really carries. */
    @Override
    public LinkSettings settings() {
        return framing.requested();
    }

    /** What the line carries, including a pseudo-terminal fallback; for diagnostics. */
    public String framingDescription() {
        return framing.toString();
    }

    /**
     * Waits until queued output has physically left the port, plus one character time so the stop bit of the
     * last character (e.g. the IEC 62056-21 acknowledgement) is not cut, then sets the new framing.
     */
    @Override
    public void configure(LinkSettings settings) throws IOException {
        Objects.requireNonNull(settings, "settings");
        synchronized (configLock) {
            ensureOpen();
            awaitOutputDrained();
            pause(characterMillis(framing.onLine()));
            framing = applyFraming(port, address.device(), settings);
        }
    }

    private void awaitOutputDrained() throws IOException {
        int queued = port.bytesAwaitingWrite();
        long budgetMs = (long) Math.max(queued, 0) * characterMillis(framing.onLine()) + DRAIN_MARGIN_MS;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMs);
        while (port.bytesAwaitingWrite() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IOException("serial port " + address.device() + " did not send its queued output within "
                        + budgetMs + " ms — is hardware flow control holding it?");
            }
            pause(1);
        }
    }

    /** Transmit time of one character, rounded up. */
    private static long characterMillis(LinkSettings s) {
        return (s.bitsPerCharacter() * 1000L + s.baudRate() - 1) / s.baudRate();
    }

    @Override
    public void setReadTimeout(Duration timeout) throws IOException {
        Durations.requirePositive(timeout, "read timeout");
        ensureOpen();
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, Durations.positiveMillis(timeout), 0);
        readTimeout = timeout;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    /** Reads away whatever is already buffered, without waiting for more (pty buffers outlive sessions). */
    @Override
    public void discardInput() throws IOException {
        ensureOpen();
        byte[] sink = new byte[512];
        for (int round = 0; round < DISCARD_MAX_ROUNDS; round++) {
            int available = port.bytesAvailable();
            if (available <= 0) {
                return;
            }
            if (port.readBytes(sink, Math.min(available, sink.length)) < 0) {
                throw readError();
            }
        }
    }

    @Override
    public boolean isOpen() {
        return open && port.isOpen();
    }

    @Override
    public void close() {
        open = false;
        port.closePort();
    }

    @Override
    public String toString() {
        String resolved = port.getSystemPortPath();
        String where = resolved.equals(address.device()) ? resolved : address.device() + " -> " + resolved;
        return "serial " + where + " " + framing + (open ? "" : " [closed]");
    }

    private void ensureOpen() throws IOException {
        if (!open) {
            throw new IOException("serial link " + address + " is closed");
        }
    }

    private IOException readError() {
        return new IOException("serial port " + address.device() + " stopped working (error "
                + port.getLastErrorCode() + ") — was the adapter unplugged?");
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the serial port");
        }
    }

    private final class PortInput extends InputStream {

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            read(one, 0, 1);
            return one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ensureOpen();
            if (len == 0) {
                return 0;
            }
            int n = port.readBytes(b, len, off);
            if (n > 0) {
                if (framing.maskTo7Bits()) {
                    for (int i = off; i < off + n; i++) {
                        b[i] &= 0x7F;
                    }
                }
                return n;
            }
            ensureOpen();
            if (n == 0) {
                throw new LinkTimeoutException("no byte from serial port " + address.device() + " within "
                        + Durations.describe(readTimeout));
            }
            throw readError();
        }

        @Override
        public int available() throws IOException {
            ensureOpen();
            return Math.max(0, port.bytesAvailable());
        }

        @Override
        public void close() {
            SerialByteLink.this.close();
        }
    }

    private final class PortOutput extends OutputStream {

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ensureOpen();
            // The driver may accept fewer bytes than offered; allow their transmit time plus a margin.
            long budgetMs = len * characterMillis(framing.onLine()) + DRAIN_MARGIN_MS;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMs);
            int written = 0;
            while (written < len) {
                int n = port.writeBytes(b, len - written, off + written);
                if (n < 0) {
                    ensureOpen();
                    throw new IOException("serial port " + address.device() + " refused data (error "
                            + port.getLastErrorCode() + ") — was the adapter unplugged?");
                }
                written += n;
                if (written < len) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("serial port " + address.device() + " accepted only " + written
                                + " of " + len + " bytes within " + budgetMs + " ms");
                    }
                    pause(1);
                }
            }
        }

        @Override
        public void close() {
            SerialByteLink.this.close();
        }
    }
}
