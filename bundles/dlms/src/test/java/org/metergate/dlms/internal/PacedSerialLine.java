// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A serial line modelled between a client and a meter's HDLC-over-TCP port: every byte takes {@code 10 / baud}
 * seconds (8N1) in its direction, and the meter's first byte after a request waits at least the minimum reaction
 * time after the request's last byte arrived. Counts bytes, HDLC frames and request/answer turns, so the
 * wire-time limit of what actually crossed the line can be computed. One connection at a time. Shared with other
 * modules' benchmarks through this module's test jar.
 */
public final class PacedSerialLine implements AutoCloseable {

    private static final int BITS_PER_BYTE = 10;

    private final ServerSocket listener;
    private final InetSocketAddress meter;
    private final long byteNanos;
    private final long reactionNanos;
    private final AtomicLong bytesToMeter = new AtomicLong();
    private final AtomicLong bytesToClient = new AtomicLong();
    private final AtomicLong framesToMeter = new AtomicLong();
    private final AtomicLong framesToClient = new AtomicLong();
    private final AtomicLong turns = new AtomicLong();
    private volatile long requestDeliveredAt = Long.MIN_VALUE;
    private volatile boolean awaitingAnswer;
    private volatile Socket client;
    private volatile Socket upstream;

    public PacedSerialLine(int meterPort, int baud, long reactionMillis) throws IOException {
        this.meter = new InetSocketAddress(InetAddress.getLoopbackAddress(), meterPort);
        this.byteNanos = 1_000_000_000L * BITS_PER_BYTE / baud;
        this.reactionNanos = reactionMillis * 1_000_000L;
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "paced-line-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Bytes, frames and turns since the last reset. */
    public record Traffic(long bytesToMeter, long bytesToClient, long framesToMeter, long framesToClient, long turns) {
        public long bytes() {
            return bytesToMeter + bytesToClient;
        }
    }

    public Traffic resetTraffic() {
        return new Traffic(bytesToMeter.getAndSet(0), bytesToClient.getAndSet(0), framesToMeter.getAndSet(0),
                framesToClient.getAndSet(0), turns.getAndSet(0));
    }

    private void accept() {
        try {
            while (!listener.isClosed()) {
                Socket c = listener.accept();
                Socket m = new Socket();
                m.connect(meter, 2000);
                c.setTcpNoDelay(true);
                m.setTcpNoDelay(true);
                client = c;
                upstream = m;
                start("paced-line-to-meter", () -> pump(c.getInputStream(), m.getOutputStream(), true));
                start("paced-line-to-client", () -> pump(m.getInputStream(), c.getOutputStream(), false));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private interface Pump {
        void run() throws IOException;
    }

    private static void start(String name, Pump pump) {
        Thread t = new Thread(() -> {
            try {
                pump.run();
            } catch (IOException e) {
                // the other side closed
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private void pump(InputStream in, OutputStream out, boolean toMeter) throws IOException {
        byte[] buffer = new byte[4096];
        long lineFreeAt = 0;
        FrameCounter frames = new FrameCounter(toMeter ? framesToMeter : framesToClient);
        int n;
        while ((n = in.read(buffer)) > 0) {
            long now = System.nanoTime();
            long startAt = Math.max(now, lineFreeAt);
            if (!toMeter && awaitingAnswer) {
                startAt = Math.max(startAt, requestDeliveredAt + reactionNanos);
                awaitingAnswer = false;
                turns.incrementAndGet();
            }
            long deliveredAt = startAt + n * byteNanos;
            sleepUntil(deliveredAt);
            if (toMeter) {
                // before the write: the meter may answer before this thread runs again
                requestDeliveredAt = deliveredAt;
                awaitingAnswer = true;
            }
            // counted before the write, so a reader that got its answer sees the whole exchange counted
            frames.scan(buffer, n);
            (toMeter ? bytesToMeter : bytesToClient).addAndGet(n);
            out.write(buffer, 0, n);
            out.flush();
            lineFreeAt = deliveredAt;
        }
    }

    /**
     * Counts HDLC frames: a flag, then the format field (type 3, 0xA_) whose 11-bit length covers everything up
     * to the closing flag. The length is followed rather than flags searched for, as payloads may hold 0x7E.
     */
    private static final class FrameCounter {
        private final AtomicLong frames;
        private int skip;
        private int state; // 0 outside a frame, 1 after a flag, 2 after the first format byte
        private int lengthHigh;

        FrameCounter(AtomicLong frames) {
            this.frames = frames;
        }

        void scan(byte[] bytes, int n) {
            for (int i = 0; i < n; i++) {
                int b = bytes[i] & 0xFF;
                if (skip > 0) {
                    skip--;
                } else if (state == 2) {
                    skip = Math.max(0, ((lengthHigh << 8) | b) - 2);
                    frames.incrementAndGet();
                    state = 0;
                } else if (state == 1 && (b & 0xF0) == 0xA0) {
                    lengthHigh = b & 0x07;
                    state = 2;
                } else {
                    state = b == 0x7E ? 1 : 0;
                }
            }
        }
    }

    private static void sleepUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            if (left > 2_000_000) {
                LockSupport.parkNanos(left - 1_000_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : new Socket[] {client, upstream}) {
            if (s != null) {
                s.close();
            }
        }
    }
}
