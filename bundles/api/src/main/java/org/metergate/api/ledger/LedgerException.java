// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.ledger;

/** The ledger cannot read or write (disk full, database damaged); the message says what to do. */
public class LedgerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }

    public LedgerException(String message) {
        super(message);
    }
}
