// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) of readings batches, signalled by the MQTT 5 user property {@value #PROPERTY}: {@value #GZIP}
 * (MQTT contract v1, docs/mqtt-contract). Level 1 ({@link Deflater#BEST_SPEED}): on the benchmark's batches it
 * compresses four to six times faster than level 6 for 19 instead of 15 bytes per reading (docs/benchmarks.md),
 * and a backlog drain on a Pi-class gateway is bound by this CPU. One {@link Deflater} is reused; it belongs to
 * the link thread, which calls {@link #release()} when it ends. Not thread-safe.
 */
final class ReadingsCompression {

    /** The MQTT 5 user property that names the payload's content coding (as HTTP's Content-Encoding). */
    static final String PROPERTY = "content-encoding";
    static final String GZIP = "gzip";
    /** Largest inflated document a head-end must accept; the link never compresses a larger one. */
    static final int MAX_INFLATED_BYTES = HeadendSettings.MAX_BATCH_BYTES;
    static final int LEVEL = Deflater.BEST_SPEED;

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final byte[] chunk = new byte[1 << 14];
    private Deflater deflater;

    /** Whether a document of {@code bytes} may go compressed: only up to what every head-end accepts. */
    static boolean fits(int bytes) {
        return bytes <= MAX_INFLATED_BYTES;
    }

    /** {@code json} as one gzip member (no file name, no modification time). */
    byte[] gzip(byte[] json) {
        if (deflater == null) {
            deflater = new Deflater(LEVEL, true);
        }
        deflater.reset();
        deflater.setInput(json);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, json.length / 6));
        out.write(HEADER, 0, HEADER.length);
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        CRC32 crc = new CRC32();
        crc.update(json);
        writeLittleEndian(out, crc.getValue());
        writeLittleEndian(out, json.length);
        return out.toByteArray();
    }

    /** Frees the native zlib memory; a later {@link #gzip} allocates it again. */
    void release() {
        if (deflater != null) {
            deflater.end();
            deflater = null;
        }
    }

    private static void writeLittleEndian(ByteArrayOutputStream out, long value) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }
}
