// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.metergate.api.credit.Receipt;
import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.StoredReceipt;
import org.metergate.api.ledger.TokenHistory;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.ledger.TokenState;

/** The token ledger in memory (store type memory): same contract as {@link SqliteTokenLedger}, lost on restart. */
final class MemoryTokenLedger implements TokenLedger {

    private final Map<String, LedgerEntry> entries = new LinkedHashMap<>();
    private final List<StoredReceipt> receipts = new ArrayList<>();
    private long nextSequence = 1;
    private long nextReceiptId = 1;

    @Override
    public synchronized Optional<LedgerEntry> record(LedgerEntry entry, Receipt accepted) {
        if (entries.containsKey(entry.tokenId())) {
            return Optional.empty();
        }
        LedgerEntry stored = entry.withSequence(nextSequence++);
        entries.put(stored.tokenId(), stored);
        receipts.add(new StoredReceipt(nextReceiptId++, accepted, true));
        return Optional.of(stored);
    }

    @Override
    public synchronized Optional<LedgerEntry> find(String tokenId) {
        return Optional.ofNullable(entries.get(tokenId));
    }

    @Override
    public synchronized List<StoredReceipt> update(String tokenId, TokenState state, String outcome,
            List<Receipt> newReceipts) {
        LedgerEntry entry = entries.get(tokenId);
        if (entry == null) {
            throw new IllegalArgumentException("unknown token " + tokenId);
        }
        entries.put(tokenId, entry.withState(state, outcome));
        return addReceipts(tokenId, newReceipts);
    }

    @Override
    public synchronized List<StoredReceipt> addReceipts(String tokenId, List<Receipt> newReceipts) {
        if (!entries.containsKey(tokenId)) {
            throw new IllegalArgumentException("unknown token " + tokenId);
        }
        List<StoredReceipt> added = new ArrayList<>();
        for (Receipt r : newReceipts) {
            StoredReceipt s = new StoredReceipt(nextReceiptId++, r, false);
            receipts.add(s);
            added.add(s);
        }
        return added;
    }

    @Override
    public synchronized List<LedgerEntry> open() {
        return entries.values().stream().filter(e -> e.state().open())
                .sorted(Comparator.comparingLong(LedgerEntry::sequence)).toList();
    }

    @Override
    public synchronized List<TokenHistory> recent(String meterId, int limit) {
        RecentTokens.check(meterId, limit);
        return entries.values().stream().filter(e -> e.meterId().equals(meterId))
                .sorted(Comparator.comparingLong(LedgerEntry::sequence).reversed()).limit(limit)
                .map(e -> new TokenHistory(e, receipts(e.tokenId()))).toList();
    }

    @Override
    public synchronized List<StoredReceipt> receipts(String tokenId) {
        return receipts.stream().filter(r -> r.receipt().tokenId().equals(tokenId)).toList();
    }

    @Override
    public synchronized List<StoredReceipt> notUplinked() {
        return receipts.stream().filter(r -> !r.uplinked()).toList();
    }

    @Override
    public synchronized void markUplinked(List<Long> receiptIds) {
        receipts.replaceAll(r -> receiptIds.contains(r.id()) ? new StoredReceipt(r.id(), r.receipt(), true) : r);
    }

    @Override
    public synchronized int prune(Instant before) {
        List<String> gone = entries.values().stream()
                .filter(e -> !e.state().open() && e.expiresAt().isBefore(before)).map(LedgerEntry::tokenId).toList();
        gone.forEach(entries::remove);
        receipts.removeIf(r -> gone.contains(r.receipt().tokenId()));
        return gone.size();
    }
}
