// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.credit;

/** Stages a credit token passes through; each is reported to the head-end as a receipt. */
public enum ReceiptStage {
    ACCEPTED, REJECTED, DUPLICATE, QUEUED, ENTERED, METER_RESULT, BALANCE, READY_FOR_RECONNECTION, EXPIRED;

    /** The wire name used in receipts, e.g. {@code meter-result}. */
    public String wireName() {
        return name().toLowerCase().replace('_', '-');
    }
}
