// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.util.Objects;

import org.metergate.api.ledger.TokenLedger;

/** The argument checks of {@link TokenLedger#recent}, the same for every ledger. */
final class RecentTokens {

    private RecentTokens() {
    }

    static void check(String meterId, int limit) {
        Objects.requireNonNull(meterId, "meterId");
        if (limit < 1 || limit > TokenLedger.MAX_RECENT) {
            throw new IllegalArgumentException("token history limit must be 1 to " + TokenLedger.MAX_RECENT
                    + ", not " + limit);
        }
    }
}
