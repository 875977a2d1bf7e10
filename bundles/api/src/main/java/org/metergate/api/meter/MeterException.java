// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

/**
 * A meter could not be read. The message is written for a technician ("no answer from meter on
 * /dev/ttyUSB0 at 300 baud - probe upside down?"); {@link #reason()} is for code.
 */
public class MeterException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Nothing came back within the timeout. */
        NO_ANSWER(true),
        /** A block check (BCC) or frame check (FCS) failed. */
        CHECKSUM(true),
        /** The answer was truncated or did not follow the protocol. */
        MALFORMED(true),
        /** The port is missing or busy, or the serial server is unreachable. */
        LINK_UNAVAILABLE(true),
        /** The meter answered but refused: wrong address, association or authentication refused. */
        REFUSED(false),
        /** The meter configuration cannot work (bad values); fix the configuration. */
        CONFIGURATION(false),
        /** The session was cancelled because the gateway is stopping. */
        CANCELLED(false);

        private final boolean transientFault;

        Reason(boolean transientFault) {
            this.transientFault = transientFault;
        }

        /** Whether trying again later may succeed without anyone changing anything. */
        public boolean isTransient() {
            return transientFault;
        }
    }

    private final Reason reason;

    public MeterException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public MeterException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
