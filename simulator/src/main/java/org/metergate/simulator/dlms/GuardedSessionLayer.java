// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.logging.Logger;

import org.openmuc.jdlms.internal.AssociateSourceDiagnostic.AcseServiceUser;
import org.openmuc.jdlms.internal.association.AssociatRequestException;
import org.openmuc.jdlms.sessionlayer.server.ServerSessionLayer;

/**
 * Wraps a jDLMS server session layer so that clients get an answer where jDLMS 1.8.0 would throw a
 * NullPointerException and fall silent: unknown logical devices and client ids get an AARE "rejected-permanent",
 * and so does an association request jDLMS drops without answering (for instance one it cannot decrypt because
 * the keys differ). It also enforces increasing invocation counters and the association-refused fault.
 */
final class GuardedSessionLayer implements ServerSessionLayer {
    private static final Logger LOG = Logger.getLogger(GuardedSessionLayer.class.getName());

    private static final int LINGER_MILLIS = 2_000;

    private final ServerSessionLayer delegate;
    private final DlmsMeter meter;
    private final MeterLine line;
    private boolean firstMessage = true;
    private boolean awaitingAssociationResponse;

    GuardedSessionLayer(ServerSessionLayer delegate, DlmsMeter meter, MeterLine line) {
        this.delegate = delegate;
        this.meter = meter;
        this.line = line;
    }

    @Override
    public void initialize() throws IOException {
        try {
            delegate.initialize();
        } catch (RuntimeException e) {
            throw new IOException("malformed connection request: " + e, e);
        }
    }

    @Override
    public byte[] readNextMessage() throws IOException {
        byte[] message;
        try {
            message = delegate.readNextMessage();
        } catch (RuntimeException e) {
            // jDLMS throws IndexOutOfBounds on a frame with a bad FCS; end the association cleanly instead
            throw new IOException("unreadable frame: " + e, e);
        }
        if (firstMessage) {
            firstMessage = false;
            return checkAssociationRequest(message);
        }
        long counter = ApduInspector.invocationCounter(message);
        if (counter != ApduInspector.NOT_CIPHERED && !meter.firmware().acceptInvocationCounter(counter)) {
            LOG.info(() -> "meter " + meter.config().serial() + ": replayed invocation counter " + counter
                    + ", closing the association");
            throw new EOFException("replayed invocation counter");
        }
        return message;
    }

    private byte[] checkAssociationRequest(byte[] message) throws IOException {
        int logicalDevice = delegate.getLogicalDeviceId();
        int client = delegate.getClientId();
        if (!ApduInspector.isAarq(message)) {
            throw new EOFException("first message is not an association request");
        }
        if (logicalDevice != DlmsMeterConfig.LOGICAL_DEVICE_ID) {
            reject(AcseServiceUser.NO_REASON_GIVEN, "unknown logical device " + logicalDevice
                    + " (this meter has only logical device " + DlmsMeterConfig.LOGICAL_DEVICE_ID + ")");
        }
        if (client != DlmsMeterConfig.PUBLIC_CLIENT_ID && client != DlmsMeterConfig.MANAGEMENT_CLIENT_ID) {
            reject(AcseServiceUser.NO_REASON_GIVEN, "unknown client id " + client + " (use "
                    + DlmsMeterConfig.PUBLIC_CLIENT_ID + " public or " + DlmsMeterConfig.MANAGEMENT_CLIENT_ID
                    + " management)");
        }
        if (meter.faults().refuseAssociation()) {
            reject(AcseServiceUser.NO_REASON_GIVEN, "association refused (fault injected)");
        }
        long counter = ApduInspector.invocationCounter(message);
        if (counter != ApduInspector.NOT_CIPHERED) {
            if (!meter.firmware().acceptInvocationCounter(counter)) {
                reject(AcseServiceUser.AUTHENTICATION_FAILURE, "invocation counter " + counter
                        + " not above the last one seen (" + meter.firmware().invocationCounter() + ")");
            }
            meter.firmware().flush();
        }
        awaitingAssociationResponse = true;
        return message;
    }

    private void reject(AcseServiceUser reason, String why) throws IOException {
        LOG.info(() -> "meter " + meter.config().serial() + " rejects association: " + why);
        sendRejection(reason);
        line.lingerUntilPeerCloses(LINGER_MILLIS);
        throw new EOFException(why);
    }

    private void sendRejection(AcseServiceUser reason) throws IOException {
        byte[] buffer = new byte[256];
        int length = new AssociatRequestException(reason).getErrorMessageApdu().encode(buffer, null);
        delegate.send(Arrays.copyOfRange(buffer, buffer.length - length, buffer.length));
    }

    @Override
    public void send(byte[] data) throws IOException {
        awaitingAssociationResponse = false;
        delegate.send(data);
    }

    @Override
    public int getClientId() {
        return delegate.getClientId();
    }

    @Override
    public int getLogicalDeviceId() {
        // an unknown logical device would make jDLMS dereference null; requests for it are rejected above
        return DlmsMeterConfig.LOGICAL_DEVICE_ID;
    }

    @Override
    public void close() throws IOException {
        if (awaitingAssociationResponse) {
            awaitingAssociationResponse = false;
            LOG.info(() -> "meter " + meter.config().serial()
                    + " could not accept the association request (wrong keys?); rejecting it");
            try {
                sendRejection(AcseServiceUser.AUTHENTICATION_FAILURE);
                line.lingerUntilPeerCloses(LINGER_MILLIS);
            } catch (IOException e) {
                // the line is gone; nothing left to tell
            }
        }
        delegate.close();
    }
}
