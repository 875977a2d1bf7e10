// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

import org.openmuc.jdlms.transportlayer.StreamAccessor;

/**
 * The byte line a meter talks on (a TCP socket, or the streams of an IEC mode E session), seen by jDLMS's session
 * layers. Every frame the meter sends passes the fault injection; for HDLC the line outlives single associations,
 * so closing a session does not close the line.
 */
final class MeterLine implements StreamAccessor {
    private final Socket socket;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final boolean hdlc;
    private volatile boolean endOfStream;
    private volatile boolean closed;

    private MeterLine(Socket socket, InputStream rawIn, OutputStream rawOut, boolean hdlc, DlmsFaults faults) {
        this.socket = socket;
        this.rawIn = rawIn;
        this.rawOut = rawOut;
        this.hdlc = hdlc;
        this.in = new DataInputStream(new EndAwareInputStream(rawIn));
        this.out = new DataOutputStream(new FaultyFrameOutputStream(rawOut, faults, hdlc));
    }

    static MeterLine of(Socket socket, boolean hdlc, DlmsFaults faults) throws IOException {
        return new MeterLine(socket, socket.getInputStream(), socket.getOutputStream(), hdlc, faults);
    }

    static MeterLine of(InputStream in, OutputStream out, DlmsFaults faults) {
        return new MeterLine(null, in, out, true, faults);
    }

    @Override
    public void setTimeout(int timeout) throws IOException {
        if (socket != null) {
            socket.setSoTimeout(timeout);
        }
    }

    @Override
    public DataInputStream getInputStream() {
        return in;
    }

    @Override
    public DataOutputStream getOutpuStream() {
        return out;
    }

    /** Called by a session layer when its association ends: a wrapper connection ends too, an HDLC line stays. */
    @Override
    public void close() throws IOException {
        if (!hdlc) {
            closeLine();
        }
    }

    void closeLine() {
        closed = true;
        try {
            if (socket != null) {
                socket.close();
            } else {
                rawIn.close();
                rawOut.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }

    /**
     * After a refusal on a TCP wrapper connection: give the client time to read the answer and hang up itself,
     * since jDLMS clients report a closed socket instead of an answer that arrives just before the close.
     */
    void lingerUntilPeerCloses(int millis) {
        if (socket == null || hdlc) {
            return;
        }
        try {
            socket.setSoTimeout(millis);
            byte[] sink = new byte[256];
            while (rawIn.read(sink) >= 0) {
                // discard whatever the client still sends
            }
        } catch (IOException e) {
            // timeout or reset: close now
        }
    }

    boolean usable() {
        return !closed && !endOfStream && (socket == null || !socket.isClosed());
    }

    private final class EndAwareInputStream extends FilterInputStream {
        EndAwareInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                endOfStream = true;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                endOfStream = true;
            }
            return n;
        }
    }

    /** jDLMS writes each frame with one write call; that makes a write the unit for frame faults. */
    private static final class FaultyFrameOutputStream extends FilterOutputStream {
        private final DlmsFaults faults;
        private final boolean hdlc;

        FaultyFrameOutputStream(OutputStream out, DlmsFaults faults, boolean hdlc) {
            super(out);
            this.faults = faults;
            this.hdlc = hdlc;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (faults.noAnswer() || faults.takeDropFrame()) {
                return;
            }
            long delay = faults.answerDelayNanos();
            if (delay > 0) {
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("answer delay interrupted");
                }
            }
            byte[] frame = java.util.Arrays.copyOfRange(b, off, off + len);
            if (len > 3 && faults.takeCorruptFrame()) {
                // HDLC: the FCS sits in the two octets before the closing flag
                frame[hdlc ? len - 2 : len - 1] ^= 0x5A;
            }
            out.write(frame);
        }

        @Override
        public void write(int b) throws IOException {
            if (!faults.noAnswer()) {
                out.write(b);
            }
        }
    }
}
