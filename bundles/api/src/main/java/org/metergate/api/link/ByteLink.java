// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.link;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * An open, exclusive byte pipe to one meter (or one bus). Reads block at most the read timeout and then
 * throw {@link java.net.SocketTimeoutException}-like {@link LinkTimeoutException}; nothing blocks forever.
 */
public interface ByteLink extends Closeable {

    LinkAddress address();

    InputStream input() throws IOException;

    OutputStream output() throws IOException;

    LinkSettings settings();

    /** Changes framing, e.g. the IEC 62056-21 baud switch. Waits until queued output has left the port. */
    void configure(LinkSettings settings) throws IOException;

    /** Longest wait for the next byte; {@link Duration#ZERO} is not allowed (every read has a timeout). */
    void setReadTimeout(Duration timeout) throws IOException;

    Duration readTimeout();

    /** Discards bytes that arrived before the caller was ready, e.g. echoes or a previous answer's tail. */
    void discardInput() throws IOException;

    boolean isOpen();
}
