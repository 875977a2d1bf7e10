// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.ledger;

/** Where an accepted token is on its way to the meter. */
public enum TokenState {
    /** Waiting for its meter (or for its meter to answer again). */
    QUEUED,
    /** Persisted just before the token gateway ACTION: the meter may or may not have it. */
    ENTERING,
    /** The meter processed it; the receipts carry its status and the balance. */
    DONE,
    /** Expired before the meter could take it; nothing was applied. */
    EXPIRED;

    /** True while the token still needs work. */
    public boolean open() {
        return this == QUEUED || this == ENTERING;
    }
}
