// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.ledger;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A token with all its receipts, oldest first, as read in one transaction (the state matches the receipts). */
public record TokenHistory(LedgerEntry entry, List<StoredReceipt> receipts) {

    public TokenHistory {
        Objects.requireNonNull(entry, "entry");
        receipts = List.copyOf(Objects.requireNonNull(receipts, "receipts"));
    }

    /** The newest receipt: how far the token got; empty only for a token recorded without any. */
    public Optional<StoredReceipt> lastReceipt() {
        return receipts.isEmpty() ? Optional.empty() : Optional.of(receipts.get(receipts.size() - 1));
    }
}
