// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One meter's TCP port on 127.0.0.1. Every connection gets its own session thread, so a client that
 * hangs or vanishes never blocks another (a pty bridge holds one connection per pty session).
 */
final class MeterEndpoint implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MeterEndpoint.class.getName());
    private static final int POLL_TIMEOUT_MILLIS = 100;

    private final SimulatedMeter meter;
    private final TimeSource time;
    private final boolean wireSpeed;
    private final SessionTimeouts timeouts;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final Set<Thread> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    MeterEndpoint(SimulatedMeter meter, int port, TimeSource time, boolean wireSpeed, SessionTimeouts timeouts)
            throws IOException {
        this.meter = meter;
        this.time = time;
        this.wireSpeed = wireSpeed;
        this.timeouts = timeouts;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            server.close();
            throw new IOException("Cannot open TCP port " + port + " for meter " + meter.id() + " on 127.0.0.1 ("
                    + e.getMessage() + "); is another simulator running? Choose another --base-port", e);
        }
        this.acceptor = new Thread(this::acceptLoop, "meter-" + meter.id() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                meter.counters().connections.incrementAndGet();
                Thread session = new Thread(() -> serve(client), "meter-" + meter.id() + "-session");
                session.setDaemon(true);
                clients.add(client);
                sessions.add(session);
                session.start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "meter " + meter.id() + ": accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setTcpNoDelay(true);
            client.setSoTimeout(POLL_TIMEOUT_MILLIS);
            new MeterSession(meter, client.getInputStream(), client.getOutputStream(), new WirePacer(time, wireSpeed),
                    timeouts).run();
        } catch (SocketException e) {
            // client went away or the endpoint closed: the meter is free again
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.log(Level.WARNING, "meter " + meter.id() + ": session ended: " + e, e);
            }
        } finally {
            clients.remove(client);
            sessions.remove(Thread.currentThread());
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        joinQuietly(acceptor);
        for (Thread session : sessions) {
            session.interrupt();
            joinQuietly(session);
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
