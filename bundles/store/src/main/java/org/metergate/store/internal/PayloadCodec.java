// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * How a payload is stored (column {@code encoding}, schema 4): small payloads as UTF-8 text, larger ones
 * (arrays of readings, daily values) as raw deflate when that is smaller. A readout's readings repeat the
 * meter, OBIS pattern, unit and timestamp prefix, so they shrink several-fold. Deflaters and inflaters hold
 * native memory: they are pooled here and released by {@link #close}. Thread-safe.
 */
final class PayloadCodec implements AutoCloseable {

    static final int TEXT = 0;
    static final int DEFLATE = 1;
    /** Below this a payload is stored as text: deflate gains little on one reading and costs time. */
    static final int COMPRESS_FROM_BYTES = 256;
    private static final int POOLED = 8;

    /** A payload as it goes into the table. */
    record Encoded(int encoding, byte[] utf8OrDeflated, int payloadBytes) {
    }

    private final Queue<Deflater> deflaters = new ConcurrentLinkedQueue<>();
    private final Queue<Inflater> inflaters = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    Encoded encode(String payload) {
        byte[] utf8 = payload.getBytes(StandardCharsets.UTF_8);
        if (utf8.length < COMPRESS_FROM_BYTES) {
            return new Encoded(TEXT, utf8, utf8.length);
        }
        Deflater d = deflaters.poll();
        if (d == null) {
            d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        }
        try {
            d.setInput(utf8);
            d.finish();
            byte[] out = new byte[utf8.length];
            int n = 0;
            while (!d.finished() && n < out.length) {
                n += d.deflate(out, n, out.length - n);
            }
            return d.finished() && n < utf8.length ? new Encoded(DEFLATE, Arrays.copyOf(out, n), utf8.length)
                    : new Encoded(TEXT, utf8, utf8.length);
        } finally {
            release(d);
        }
    }

    String decode(int encoding, byte[] stored, int payloadBytes) {
        if (encoding == TEXT) {
            return new String(stored, StandardCharsets.UTF_8);
        }
        if (encoding != DEFLATE) {
            throw new IllegalStateException("outbox payload has encoding " + encoding + ", which this software"
                    + " does not know (written by a newer Metergate?)");
        }
        Inflater i = inflaters.poll();
        if (i == null) {
            i = new Inflater(true);
        }
        try {
            i.setInput(stored);
            ByteArrayOutputStream out = new ByteArrayOutputStream(payloadBytes);
            byte[] buf = new byte[Math.max(64, Math.min(payloadBytes, 1 << 16))];
            while (!i.finished()) {
                int n = i.inflate(buf);
                if (n == 0 && (i.needsInput() || i.needsDictionary())) {
                    break; // raw deflate ends without a trailer; all input is consumed
                }
                out.write(buf, 0, n);
            }
            if (out.size() != payloadBytes) {
                throw new IllegalStateException("compressed outbox payload inflates to " + out.size()
                        + " bytes instead of " + payloadBytes + ": the row is damaged");
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (DataFormatException e) {
            throw new IllegalStateException("compressed outbox payload is damaged: " + e.getMessage(), e);
        } finally {
            i.reset();
            if (!closed && inflaters.size() < POOLED) {
                inflaters.add(i);
            } else {
                i.end();
            }
        }
    }

    private void release(Deflater d) {
        d.reset();
        if (!closed && deflaters.size() < POOLED) {
            deflaters.add(d);
        } else {
            d.end();
        }
    }

    @Override
    public void close() {
        closed = true;
        Deflater d;
        while ((d = deflaters.poll()) != null) {
            d.end();
        }
        Inflater i;
        while ((i = inflaters.poll()) != null) {
            i.end();
        }
    }
}
