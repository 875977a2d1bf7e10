// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plaintext TCP relay to an MQTT broker that splits the client's byte stream into MQTT control packets (fixed
 * header type, remaining length) and counts the PUBLISH packets and their bytes as they cross the wire: fixed
 * header, variable header (topic, packet id, properties) and payload. Optionally keeps the payloads, taken from
 * the counted packets themselves, for looking at them after the run.
 */
final class PublishCountingProxy implements AutoCloseable {

    private static final int PUBLISH = 3;

    private final ServerSocket server;
    private final int target;
    private final boolean keepPayloads;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicLong publishPackets = new AtomicLong();
    private final AtomicLong publishBytes = new AtomicLong();
    private final AtomicLong clientBytes = new AtomicLong();
    private final List<byte[]> packets = new ArrayList<>();

    PublishCountingProxy(int target, boolean keepPayloads) throws IOException {
        this.target = target;
        this.keepPayloads = keepPayloads;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "counting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    long publishPackets() {
        return publishPackets.get();
    }

    /** Bytes of all PUBLISH packets the client sent, headers included. */
    long publishBytes() {
        return publishBytes.get();
    }

    /** Every byte the client sent (CONNECT, PUBLISH, SUBSCRIBE, PINGREQ, …). */
    long clientBytes() {
        return clientBytes.get();
    }

    /** The whole PUBLISH packets, when kept. */
    synchronized List<byte[]> publishPacketsKept() {
        return new ArrayList<>(packets);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                relay(client, upstream, new PacketCounter());
                relay(upstream, client, null);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void relay(Socket from, Socket to, PacketCounter counter) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0;) {
                    if (counter != null) {
                        clientBytes.addAndGet(n);
                        counter.feed(buf, n);
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "counting-proxy-relay");
        t.setDaemon(true);
        t.start();
    }

    /** Follows the packet boundaries of one direction: type byte, remaining-length varint, body. */
    private final class PacketCounter {
        private int state; // 0 = fixed header byte, 1 = remaining length, 2 = body
        private int type;
        private long remaining;
        private int multiplier;
        private long packetBytes;
        private ByteArrayOutputStream kept;

        void feed(byte[] buf, int n) {
            int i = 0;
            while (i < n) {
                if (state == 0) {
                    type = (buf[i] & 0xFF) >>> 4;
                    packetBytes = 1;
                    remaining = 0;
                    multiplier = 1;
                    kept = keepPayloads && type == PUBLISH ? new ByteArrayOutputStream() : null;
                    keep(buf, i, 1);
                    state = 1;
                    i++;
                } else if (state == 1) {
                    int b = buf[i] & 0xFF;
                    keep(buf, i, 1);
                    remaining += (long) (b & 0x7F) * multiplier;
                    multiplier *= 128;
                    packetBytes++;
                    i++;
                    if ((b & 0x80) == 0) {
                        state = 2;
                        if (remaining == 0) {
                            done();
                        }
                    }
                } else {
                    int take = (int) Math.min(remaining, n - i);
                    keep(buf, i, take);
                    remaining -= take;
                    packetBytes += take;
                    i += take;
                    if (remaining == 0) {
                        done();
                    }
                }
            }
        }

        private void keep(byte[] buf, int from, int length) {
            if (kept != null) {
                kept.write(buf, from, length);
            }
        }

        private void done() {
            if (type == PUBLISH) {
                publishPackets.incrementAndGet();
                publishBytes.addAndGet(packetBytes);
                if (kept != null) {
                    synchronized (PublishCountingProxy.this) {
                        packets.add(kept.toByteArray());
                    }
                }
            }
            kept = null;
            state = 0;
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
