// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;

import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;

/** Turns what the protocol library throws into a reason for code and a sentence for the technician. */
final class FailureClassifier {

    private FailureClassifier() {
    }

    static MeterException openFailed(Iec21Settings s, IOException e) {
        return new MeterException(Reason.LINK_UNAVAILABLE,
                "cannot open " + s.link() + " for meter " + s.meterId() + ": " + messageOf(e), e);
    }

    /**
     * @param bytesReceived what the meter had sent before the failure; a timeout after some bytes is a readout
     *                      that broke off, not a silent meter
     */
    static MeterException readFailed(Iec21Settings s, IOException e, boolean closedByUs, long bytesReceived) {
        if (closedByUs) {
            return new MeterException(Reason.CANCELLED, "reading meter " + s.meterId() + " was cancelled", e);
        }
        String message = messageOf(e);
        String lower = message.toLowerCase();
        boolean timeout = e instanceof InterruptedIOException || lower.contains("timeout") || lower.contains("timed out");
        if (timeout && bytesReceived > 0) {
            return new MeterException(Reason.MALFORMED, "meter " + s.meterId() + " on " + s.link()
                    + " stopped answering in the middle of the readout (after " + bytesReceived
                    + " bytes) - the probe may have moved or the meter was busy; values discarded", e);
        }
        if (timeout) {
            String hint = s.deviceAddress().isEmpty()
                    ? "check that the optical probe sits on the meter's port, LED facing the meter, and the cable is plugged in"
                    : "check the probe, and that device address '" + s.deviceAddress()
                            + "' is the meter's (a meter stays silent when the address does not match)";
            return new MeterException(Reason.NO_ANSWER, "no answer from meter " + s.meterId() + " on " + s.link()
                    + " within " + s.timeout().toMillis() + " ms (sign-on at " + s.initialBaud() + " baud) - "
                    + hint, e);
        }
        if (lower.contains("bcc") || lower.contains("block check")) {
            return new MeterException(Reason.CHECKSUM, "meter " + s.meterId() + " sent a readout with a wrong"
                    + " block check character (BCC) - the line is noisy or the probe slipped; values discarded", e);
        }
        if (e instanceof EOFException) {
            return new MeterException(Reason.MALFORMED, "the connection to meter " + s.meterId() + " on "
                    + s.link() + " closed in the middle of the readout; values discarded", e);
        }
        return new MeterException(Reason.MALFORMED, "meter " + s.meterId() + " sent something that is not an"
                + " IEC 62056-21 readout (" + message + "); values discarded", e);
    }

    private static String messageOf(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
