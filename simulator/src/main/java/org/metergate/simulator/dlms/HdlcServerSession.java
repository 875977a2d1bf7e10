// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;

import org.openmuc.jdlms.internal.association.AssociationShutdownException;
import org.openmuc.jdlms.sessionlayer.client.HdlcSequenceNumber;
import org.openmuc.jdlms.sessionlayer.hdlc.FrameInvalidException;
import org.openmuc.jdlms.sessionlayer.hdlc.FrameType;
import org.openmuc.jdlms.sessionlayer.hdlc.HdlcAddressPair;
import org.openmuc.jdlms.sessionlayer.hdlc.HdlcFrame;
import org.openmuc.jdlms.sessionlayer.hdlc.HdlcFrameSegmentBuffer;
import org.openmuc.jdlms.sessionlayer.hdlc.HdlcParameters;
import org.openmuc.jdlms.sessionlayer.server.ServerSessionLayer;

/**
 * Server side of HDLC (IEC 62056-46) for one association, replacing jDLMS 1.8.0's ServerHdlcSessionLayer, which
 * fails on answers between one and two segments long (BufferUnderflowException), never advances its receive
 * sequence number and throws on frames with a bad FCS. Here bad frames are discarded as HDLC requires, a DISC
 * outside a connection gets DM, and sequence numbers follow the frames.
 */
final class HdlcServerSession implements ServerSessionLayer {
    private static final byte FLAG = 0x7E;
    private static final int LENGTH_MASK = 0x07FF;
    private static final int FRAME_OVERHEAD = 18;
    private static final byte[] LLC_RESPONSE = { (byte) 0xE6, (byte) 0xE7, 0x00 };

    private final MeterLine line;
    private final int responseTimeoutMillis;
    private HdlcAddressPair addressPair;
    private HdlcParameters parameters;
    private final HdlcSequenceNumber sendSequence = new HdlcSequenceNumber();
    private int receiveSequence;
    private int clientId = -1;
    private int logicalDeviceId = -1;

    HdlcServerSession(MeterLine line, int responseTimeoutMillis) {
        this.line = line;
        this.responseTimeoutMillis = responseTimeoutMillis;
    }

    /** Waits (without time limit) for SNRM and answers UA with the negotiated parameters. */
    @Override
    public void initialize() throws IOException {
        while (true) {
            HdlcFrame frame = readFrame(0);
            if (frame.getFrameType() == FrameType.SET_NORMAL_RESPONSEMODE) {
                connect(frame);
                return;
            }
            if (frame.getFrameType() == FrameType.DISCONNECT) {
                // not connected: "disconnected mode" is the answer, so a client's DISC never goes unanswered
                write(HdlcFrame.newDisconnectModeFrame(frame.getAddressPair().switchedPair(), null, true));
            }
        }
    }

    private void connect(HdlcFrame snrm) throws IOException {
        addressPair = snrm.getAddressPair().switchedPair();
        clientId = addressPair.destination().getLogicalId();
        logicalDeviceId = addressPair.source().getLogicalId();
        HdlcParameters proposed = new HdlcParameters();
        byte[] info = snrm.getInformationField();
        if (info != null && info.length > 0) {
            try {
                proposed = HdlcParameters.decode(info);
            } catch (FrameInvalidException | RuntimeException e) {
                proposed = new HdlcParameters(); // unreadable proposal: fall back to the defaults
            }
        }
        int receiveLength = Math.min(HdlcParameters.MAX_INFORMATION_LENGTH, proposed.getTransmitInformationLength());
        int transmitLength = Math.min(HdlcParameters.MAX_INFORMATION_LENGTH, proposed.getReceiveInformationLength());
        parameters = new HdlcParameters(receiveLength, HdlcParameters.MIN_WINDOW_SIZE, transmitLength,
                HdlcParameters.MIN_WINDOW_SIZE);
        sendSequence.increment();
        while (sendSequence.getValue() != 0) {
            sendSequence.increment();
        }
        receiveSequence = 0;
        write(HdlcFrame.newUnnumberedAcknowledgeFrame(addressPair, parameters, true));
    }

    @Override
    public byte[] readNextMessage() throws IOException {
        HdlcFrameSegmentBuffer segments = new HdlcFrameSegmentBuffer();
        while (true) {
            HdlcFrame frame = readFrame(0);
            switch (frame.getFrameType()) {
            case INFORMATION:
                receiveSequence = (frame.getSendSequence() + 1) % 8;
                if (frame.isSegmented()) {
                    segments.buffer(frame);
                    write(HdlcFrame.newReceiveReadyFrame(addressPair, receiveSequence, true));
                    continue;
                }
                if (segments.isEmpty()) {
                    return frame.getInformationFieldWithoutLlc();
                }
                segments.buffer(frame);
                return segments.toByteArray();
            case DISCONNECT:
                write(HdlcFrame.newUnnumberedAcknowledgeFrame(addressPair, null, true));
                throw new AssociationShutdownException();
            case SET_NORMAL_RESPONSEMODE:
                connect(frame); // the client restarted the link; keep serving
                continue;
            default:
                continue; // RR polls and anything unexpected need no answer here
            }
        }
    }

    @Override
    public void send(byte[] data) throws IOException {
        byte[] apdu = ByteBuffer.allocate(LLC_RESPONSE.length + data.length).put(LLC_RESPONSE).put(data).array();
        int segmentLength = parameters.getTransmitInformationLength() - FRAME_OVERHEAD;
        int offset = 0;
        while (true) {
            int length = Math.min(segmentLength, apdu.length - offset);
            byte[] segment = java.util.Arrays.copyOfRange(apdu, offset, offset + length);
            offset += length;
            boolean more = offset < apdu.length;
            write(HdlcFrame.newInformationFrame(addressPair, sendSequence.increment(), receiveSequence, segment,
                    more, false));
            if (!more) {
                return;
            }
            awaitReceiveReady();
        }
    }

    private void awaitReceiveReady() throws IOException {
        while (true) {
            HdlcFrame frame = readFrame(responseTimeoutMillis);
            if (frame.getFrameType() == FrameType.RECEIVE_READY) {
                return;
            }
            if (frame.getFrameType() == FrameType.DISCONNECT) {
                write(HdlcFrame.newUnnumberedAcknowledgeFrame(addressPair, null, true));
                throw new AssociationShutdownException();
            }
        }
    }

    /** Reads the next frame with a valid FCS; garbage between frames and broken frames are skipped. */
    private HdlcFrame readFrame(int firstByteTimeoutMillis) throws IOException {
        DataInputStream in = line.getInputStream();
        while (true) {
            line.setTimeout(firstByteTimeoutMillis);
            if (in.readByte() != FLAG) {
                continue;
            }
            line.setTimeout(responseTimeoutMillis);
            int format;
            try {
                format = in.readUnsignedShort();
            } catch (InterruptedIOException e) {
                continue;
            }
            if (format == ((FLAG << 8) | (FLAG & 0xFF)) || (format >> 12) != 0xA) {
                continue; // back-to-back flags or not a frame format type 3 header
            }
            int length = format & LENGTH_MASK;
            if (length < 4) {
                continue;
            }
            byte[] bytes = new byte[length];
            bytes[0] = (byte) (format >> 8);
            bytes[1] = (byte) format;
            in.readFully(bytes, 2, length - 2);
            in.readByte(); // closing flag
            try {
                return HdlcFrame.decode(bytes);
            } catch (FrameInvalidException | RuntimeException e) {
                // bad FCS or header: an HDLC station drops the frame and the sender repeats
            }
        }
    }

    private void write(HdlcFrame frame) throws IOException {
        line.getOutpuStream().write(frame.encode());
        line.getOutpuStream().flush();
    }

    @Override
    public int getClientId() {
        return clientId;
    }

    @Override
    public int getLogicalDeviceId() {
        return logicalDeviceId;
    }

    @Override
    public void close() throws IOException {
        line.close();
    }
}
