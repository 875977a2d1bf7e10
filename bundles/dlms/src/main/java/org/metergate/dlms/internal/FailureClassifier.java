// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Locale;

import org.metergate.api.cosem.AccessResult;
import org.metergate.api.cosem.CosemAccessException;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;
import org.openmuc.jdlms.JDlmsException;
import org.openmuc.jdlms.JDlmsException.ExceptionId;
import org.openmuc.jdlms.ResponseTimeoutException;

/** Turns what jDLMS throws into a reason for code and a sentence for the technician. */
final class FailureClassifier {

    private FailureClassifier() {
    }

    /** Reason for a failure while associating or talking to the meter. */
    static Reason reasonOf(Throwable e) {
        String m = messageOf(e).toLowerCase(Locale.ROOT);
        if (e instanceof UnknownHostException || e instanceof ConnectException || e instanceof NoRouteToHostException
                || e.getClass().getName().startsWith("org.openmuc.jrxtx.")) {
            return Reason.LINK_UNAVAILABLE;
        }
        if (e instanceof JDlmsException j) {
            ExceptionId id = j.getExceptionId();
            switch (id) {
                case JRXTX_NO_SUCH_PORT, JRXTX_PORT_IN_USE, JRXTX_PORT_NOT_SERIAL, JRXTX_INCOMPATIBLE_TO_OS:
                    return Reason.LINK_UNAVAILABLE;
                case AUTHENTICATION_ERROR, AUTHENTICATION_REQUIRED, WRONG_REFERENCING_METHOD:
                    return Reason.REFUSED;
                case RESPONSE_TIMEOUT:
                    return Reason.NO_ANSWER;
                default:
                    break;
            }
        }
        // HDLC drops frames with a bad FCS, so damaged answers also end up here
        if (e instanceof ResponseTimeoutException || e instanceof InterruptedIOException || m.contains("timeout")
                || m.contains("timed out") || m.contains("didn't receive answer")) {
            return Reason.NO_ANSWER;
        }
        if (m.contains("association response (aare) with an error") || m.contains("decipher")
                || m.contains("authenticat") || m.contains("mac check") || m.contains("invalidciphertext")) {
            return Reason.REFUSED;
        }
        if (m.contains("fcs") || m.contains("checksum") || m.contains("crc")) {
            return Reason.CHECKSUM;
        }
        if (e instanceof SocketException && (m.contains("refused") || m.contains("unreachable"))) {
            return Reason.LINK_UNAVAILABLE;
        }
        Throwable cause = e.getCause();
        if (cause != null && cause != e && !(e instanceof EOFException)) {
            Reason inner = reasonOf(cause);
            if (inner != Reason.MALFORMED) {
                return inner;
            }
        }
        return Reason.MALFORMED;
    }

    /** A failure while opening the association. */
    static MeterException openFailed(DlmsSettings s, Throwable e) {
        Reason reason = reasonOf(e);
        String where = "meter " + s.meterId() + " on " + s.describeLink();
        String text = switch (reason) {
            case LINK_UNAVAILABLE -> "cannot reach " + where + ": " + messageOf(e)
                    + " - check the address, that the serial server or port is there and not used by another program";
            case NO_ANSWER -> "no answer from " + where + " within " + s.responseTimeout().toMillis()
                    + " ms - check the cable or probe, the logical device and (HDLC) physical address";
            case REFUSED -> s.secured()
                    ? "the meter refused the association - check the management client keys for meter " + s.meterId()
                            + " (re-enter them with mg:dlms-key) and the client id (" + s.clientId() + ") ["
                            + messageOf(e) + "]"
                    : "the meter refused the association - check the client id (" + s.clientId()
                            + ") and the logical device (" + s.logicalDevice() + ") of meter " + s.meterId()
                            + "; this client may need authentication [" + messageOf(e) + "]";
            case CHECKSUM -> where + " answered with damaged frames (frame check failed) - the line is noisy or the probe slipped";
            default -> where + " answered with something that is not a DLMS association response (" + messageOf(e) + ")";
        };
        return new MeterException(reason, text, e);
    }

    /** A failure during a request on an open association. */
    static MeterException requestFailed(DlmsSettings s, String what, Throwable e) {
        Reason reason = reasonOf(e);
        if (reason == Reason.REFUSED && messageOf(e).toLowerCase(Locale.ROOT).contains("decipher")) {
            // the keys were proven by the association; an answer that fails its GCM tag was damaged on the way
            reason = Reason.CHECKSUM;
        }
        String where = "meter " + s.meterId() + " on " + s.describeLink();
        String text = switch (reason) {
            case NO_ANSWER -> "no answer from " + where + " to " + what + " within " + s.responseTimeout().toMillis() + " ms";
            case LINK_UNAVAILABLE -> "the link to " + where + " failed during " + what + ": " + messageOf(e);
            case CHECKSUM -> where + " answered " + what + " with data damaged on the line (integrity check failed);"
                    + " nothing was used - a noisy line or a loose probe";
            case REFUSED -> where + " did not accept " + what + " (" + messageOf(e)
                    + ") - the keys or the invocation counter may not match";
            default -> where + " gave an answer to " + what + " that could not be decoded (" + messageOf(e)
                    + "); nothing was used";
        };
        return new MeterException(reason, text, e);
    }

    static CosemAccessException accessFailed(DlmsSettings s, String what, AccessResult result) {
        return new CosemAccessException(result, "meter " + s.meterId() + " answered " + result.text() + " to " + what
                + " - " + result.hint());
    }

    static String messageOf(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
