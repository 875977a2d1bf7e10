// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A bare-bytes IEC 62056-21 client for tests, on a socket or any pair of streams. */
final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        this.socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(3000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads up to and including LF. */
    String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        do {
            b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + buf);
            }
            buf.write(b);
        } while (b != '\n');
        return buf.toString(StandardCharsets.US_ASCII);
    }

    /** Reads a block up to and including ETX plus the BCC byte; the first byte must be STX or SOH. */
    byte[] readBlock() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        do {
            b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + buf);
            }
            buf.write(b);
        } while (b != Frames.ETX);
        buf.write(in.read());
        return buf.toByteArray();
    }

    int readByte() throws IOException {
        return in.read();
    }

    /** Bytes that arrive within the given time (the meter is expected to stay quiet or stop). */
    byte[] readFor(int millis) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        socket.setSoTimeout(millis);
        try {
            int b;
            while ((b = in.read()) >= 0) {
                buf.write(b);
            }
        } catch (SocketTimeoutException e) {
            // the quiet period is over
        } finally {
            socket.setSoTimeout(3000);
        }
        return buf.toByteArray();
    }

    static boolean bccValid(byte[] block) {
        return Frames.bcc(block, 1, block.length - 1) == block[block.length - 1];
    }

    static String text(byte[] block) {
        return new String(block, 1, block.length - 3, StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
