// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.outbox;

/** The outbox could not accept or hand out messages; nothing already accepted is lost. */
public class OutboxException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        DISK_FULL, READ_ONLY, CORRUPT, FULL_OF_UNDROPPABLE, CLOSED, IO
    }

    private final Reason reason;

    public OutboxException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public OutboxException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
