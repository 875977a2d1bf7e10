// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.metergate.api.credit.Receipt;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable record of accepted credit tokens, unique by token id ({@code jti}). Every change of a token's state is
 * written in one transaction together with the receipts that report it, so a crash never leaves a state without
 * its receipt or the reverse. Implementations are thread-safe; all run the same contract tests.
 *
 * @throws LedgerException from every method when the ledger cannot be read or written
 */
@ProviderType
public interface TokenLedger {

    /**
     * Records a new token and its {@code accepted} receipt (stored as already uplinked: the caller hands it out).
     *
     * @param entry the token; its {@code sequence} is ignored and assigned here
     * @return the stored entry, or empty when a token with this id is already recorded (nothing changes then)
     */
    Optional<LedgerEntry> record(LedgerEntry entry, Receipt accepted);

    Optional<LedgerEntry> find(String tokenId);

    /**
     * Changes a token's state and stores its receipts (not yet uplinked), in one transaction.
     *
     * @return the stored receipts, in order
     * @throws IllegalArgumentException when the token is unknown
     */
    List<StoredReceipt> update(String tokenId, TokenState state, String outcome, List<Receipt> receipts);

    /** Adds receipts (not yet uplinked) without changing the state. */
    List<StoredReceipt> addReceipts(String tokenId, List<Receipt> receipts);

    /** Open tokens ({@link TokenState#QUEUED}, {@link TokenState#ENTERING}) in arrival order. */
    List<LedgerEntry> open();

    /**
     * A meter's most recent tokens, newest first (by arrival, {@code sequence}), whatever their state, each with
     * its receipts; read in one transaction. Pruned tokens are gone; empty for an unknown meter. Read-only.
     *
     * @param limit at most this many tokens, 1 to {@link #MAX_RECENT}
     * @throws IllegalArgumentException when {@code limit} is out of range
     */
    List<TokenHistory> recent(String meterId, int limit);

    /** The largest {@code limit} of {@link #recent}: a page of history, not an export. */
    int MAX_RECENT = 500;

    /** All receipts of a token, oldest first; empty when unknown. */
    List<StoredReceipt> receipts(String tokenId);

    /** Receipts not yet handed to the outbox, oldest first (after a crash between store and outbox). */
    List<StoredReceipt> notUplinked();

    /** Marks receipts as handed to the outbox; unknown ids are ignored. */
    void markUplinked(List<Long> receiptIds);

    /**
     * Forgets finished tokens (and their receipts) that expired before {@code before}: a replay of one is
     * rejected as expired anyway.
     *
     * @return how many tokens were removed
     */
    int prune(Instant before);
}
