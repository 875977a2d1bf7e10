// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.ledger;

import java.util.Objects;

import org.metergate.api.credit.Receipt;

/** A receipt as the ledger keeps it: {@code id} orders receipts; {@code uplinked} once it is in the outbox. */
public record StoredReceipt(long id, Receipt receipt, boolean uplinked) {
    public StoredReceipt {
        Objects.requireNonNull(receipt, "receipt");
    }
}
