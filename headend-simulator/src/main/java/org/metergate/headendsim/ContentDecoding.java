// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/**
 * Undoes the content coding a gateway names in the MQTT 5 user property {@value #PROPERTY} (MQTT contract v1:
 * readings batches may be {@value #GZIP}). Inflates at most a given number of bytes, so a payload that would
 * inflate to more (a "zip bomb") is rejected without holding more than that in memory.
 */
public final class ContentDecoding {

    /** The MQTT 5 user property that names the payload's content coding. */
    public static final String PROPERTY = "content-encoding";
    public static final String GZIP = "gzip";
    /** The contract's limit: the largest inflated document a gateway sends and a head-end must accept (16 MiB). */
    public static final int MAX_INFLATED_BYTES = 16 * 1024 * 1024;

    /** A payload that cannot be turned back into its document; the message says why, in plain words. */
    public static final class UndecodablePayload extends Exception {
        private static final long serialVersionUID = 1L;

        UndecodablePayload(String message) {
            super(message);
        }
    }

    private ContentDecoding() {
    }

    /**
     * The document inside {@code payload}: the payload itself when {@code encoding} is null.
     *
     * @throws UndecodablePayload for an unknown coding, a corrupt or truncated stream, or more than {@code maxBytes}
     */
    public static byte[] decode(String encoding, byte[] payload, int maxBytes) throws UndecodablePayload {
        if (encoding == null) {
            return payload;
        }
        if (!encoding.equals(GZIP)) {
            throw new UndecodablePayload(PROPERTY + " '" + encoding + "' is unknown (MQTT contract v1 knows only "
                    + GZIP + "); payload of " + payload.length + " bytes not read");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, Math.max(256, payload.length * 8)));
        byte[] chunk = new byte[1 << 14];
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(payload), chunk.length)) {
            for (int n; (n = in.read(chunk)) > 0;) {
                if (out.size() + (long) n > maxBytes) {
                    throw new UndecodablePayload("gzip payload of " + payload.length + " bytes inflates to more than "
                            + maxBytes + " bytes, the most a document may have; rejected");
                }
                out.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw new UndecodablePayload("gzip payload of " + payload.length + " bytes is corrupt or truncated ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "); rejected");
        }
        return out.toByteArray();
    }
}
