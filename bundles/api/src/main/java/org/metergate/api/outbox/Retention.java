// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.outbox;

/**
 * How precious a message is when the outbox is full: only {@link #ROUTINE} messages may be dropped
 * (oldest first, and the drop is itself reported); the others are never dropped.
 */
public enum Retention {
    /** Periodic register and instantaneous readings: a newer one supersedes them. */
    ROUTINE,
    /** Billing values: daily snapshots, load-profile captures. */
    BILLING,
    /** Credit token receipts. */
    RECEIPT,
    /** Alarms and events the head-end must see. */
    ALARM;

    public boolean droppable() {
        return this == ROUTINE;
    }
}
