// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.serial.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

import org.metergate.api.link.ByteLink;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkSettings;
import org.metergate.api.link.LinkTimeoutException;
import org.metergate.api.link.LinkUnavailableException;

/**
 * A raw TCP connection to a serial server (ser2net "raw" mode, serial device servers in TCP server mode).
 * Raw mode carries bytes only: the remote line's baud rate and framing are fixed in the server's own
 * configuration, so {@link #configure} merely records the settings. RFC 2217 (telnet COM-port control) is not
 * supported; configure the server's port to the framing the meter uses after any baud switch, or disable the
 * baud switch for meters behind a serial server.
 */
public final class TcpByteLink implements ByteLink {

    private final LinkAddress address;
    private final Socket socket;
    private final InputStream input;
    private final OutputStream output;
    private volatile LinkSettings settings;
    private volatile Duration readTimeout;

    private TcpByteLink(LinkAddress address, Socket socket, LinkSettings settings, Duration readTimeout)
            throws IOException {
        this.address = address;
        this.socket = socket;
        this.settings = settings;
        this.readTimeout = readTimeout;
        this.input = new SocketInput(socket.getInputStream());
        this.output = socket.getOutputStream();
    }

    public static TcpByteLink open(LinkAddress address, LinkSettings settings, Duration openTimeout,
            Duration readTimeout) throws IOException {
        String server = "serial server " + hostPort(address);
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(Durations.positiveMillis(readTimeout));
            InetSocketAddress target = new InetSocketAddress(address.host(), address.port());
            if (target.isUnresolved()) {
                throw new LinkUnavailableException(server + ": host name '" + address.host()
                        + "' is unknown — check the spelling or use the IP address");
            }
            socket.connect(target, Durations.positiveMillis(openTimeout));
            return new TcpByteLink(address, socket, settings, readTimeout);
        } catch (LinkUnavailableException e) {
            socket.close();
            throw e;
        } catch (ConnectException e) {
            socket.close();
            throw new LinkUnavailableException(
                    server + " refused the connection — is ser2net running and the port right?", e);
        } catch (SocketTimeoutException e) {
            socket.close();
            throw new LinkUnavailableException(server + " did not answer within " + Durations.describe(openTimeout)
                    + " — check the address, the network and that the server is powered", e);
        } catch (NoRouteToHostException e) {
            socket.close();
            throw new LinkUnavailableException(
                    server + " is unreachable (no route to host) — check the address and the network", e);
        } catch (UnknownHostException e) {
            socket.close();
            throw new LinkUnavailableException(server + ": host name '" + address.host()
                    + "' is unknown — check the spelling or use the IP address", e);
        } catch (IOException e) {
            socket.close();
            throw new LinkUnavailableException(server + " could not be reached: " + e.getMessage()
                    + " — check the address and the network", e);
        }
    }

    private static String hostPort(LinkAddress address) {
        String host = address.host();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.port();
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

    @Override
    public LinkSettings settings() {
        return settings;
    }

    /** Records the settings only: raw mode cannot change the remote serial line (see the class comment). */
    @Override
    public void configure(LinkSettings settings) throws IOException {
        ensureOpen();
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void setReadTimeout(Duration timeout) throws IOException {
        Durations.requirePositive(timeout, "read timeout");
        ensureOpen();
        socket.setSoTimeout(Durations.positiveMillis(timeout));
        readTimeout = timeout;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    /** Reads away what has already arrived, without waiting for more. */
    @Override
    public void discardInput() throws IOException {
        ensureOpen();
        InputStream raw = socket.getInputStream();
        byte[] sink = new byte[512];
        int available;
        while ((available = raw.available()) > 0) {
            if (raw.read(sink, 0, Math.min(available, sink.length)) < 0) {
                return;
            }
        }
    }

    @Override
    public boolean isOpen() {
        return !socket.isClosed();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return "tcp " + hostPort(address) + " " + settings + " (raw: framing fixed by the server)"
                + (socket.isClosed() ? " [closed]" : "");
    }

    private void ensureOpen() throws IOException {
        if (socket.isClosed()) {
            throw new IOException("link " + address + " is closed");
        }
    }

    /** Turns socket timeouts into link timeouts and end-of-stream into an error that names the server. */
    private final class SocketInput extends InputStream {

        private final InputStream raw;

        SocketInput(InputStream raw) {
            this.raw = raw;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            read(one, 0, 1);
            return one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int n;
            try {
                n = raw.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw new LinkTimeoutException("no byte from serial server " + hostPort(address) + " within "
                        + Durations.describe(readTimeout));
            }
            if (n < 0) {
                throw new EOFException("serial server " + hostPort(address) + " closed the connection");
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return raw.available();
        }

        @Override
        public void close() throws IOException {
            TcpByteLink.this.close();
        }
    }
}
