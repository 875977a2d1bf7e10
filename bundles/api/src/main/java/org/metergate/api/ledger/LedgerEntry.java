// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * One accepted token. {@code sequence} is the arrival order (ascending); {@code meterPayload} is exactly what
 * goes to the meter's token gateway (the JWS, or the 20 STS digits); {@code outcome} is a short text of the
 * final result once the token is no longer open.
 */
public record LedgerEntry(long sequence, String tokenId, String meterId, String kind, long amountMinor,
        String currency, byte[] meterPayload, Instant acceptedAt, Instant expiresAt, TokenState state,
        String outcome) {

    public LedgerEntry {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(meterId, "meterId");
        Objects.requireNonNull(kind, "kind");
        meterPayload = Objects.requireNonNull(meterPayload, "meterPayload").clone();
        Objects.requireNonNull(acceptedAt, "acceptedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(state, "state");
    }

    @Override
    public byte[] meterPayload() {
        return meterPayload.clone();
    }

    public LedgerEntry withState(TokenState newState, String newOutcome) {
        return new LedgerEntry(sequence, tokenId, meterId, kind, amountMinor, currency, meterPayload, acceptedAt,
                expiresAt, newState, newOutcome);
    }

    public LedgerEntry withSequence(long newSequence) {
        return new LedgerEntry(newSequence, tokenId, meterId, kind, amountMinor, currency, meterPayload, acceptedAt,
                expiresAt, state, outcome);
    }
}
