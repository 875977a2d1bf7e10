// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sets TCP_NODELAY on every socket: Paho does not, and Nagle's algorithm then holds small command
 * requests and responses back for ~40 ms waiting for the delayed ACK.
 */
final class NoDelaySocketFactory extends SSLSocketFactory {

    private final SocketFactory delegate;

    private NoDelaySocketFactory(SocketFactory delegate) {
        this.delegate = delegate;
    }

    /** Wraps a TLS socket factory, or the plain default when {@code tls} is {@code null}. */
    static SocketFactory wrap(SSLSocketFactory tls) {
        return tls == null ? new PlainNoDelay() : new NoDelaySocketFactory(tls);
    }

    private static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return ((SSLSocketFactory) delegate).getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return ((SSLSocketFactory) delegate).getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return noDelay(((SSLSocketFactory) delegate).createSocket(noDelay(s), host, port, autoClose));
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
        return noDelay(delegate.createSocket(host, port, local, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
        return noDelay(delegate.createSocket(host, port, local, localPort));
    }

    private static final class PlainNoDelay extends SocketFactory {
        private final SocketFactory d = SocketFactory.getDefault();

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(d.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return noDelay(d.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return noDelay(d.createSocket(host, port, local, localPort));
        }
    }
}
