// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.metergate.api.credit.Receipt;
import org.metergate.api.credit.ReceiptStage;
import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.LedgerException;
import org.metergate.api.ledger.StoredReceipt;
import org.metergate.api.ledger.TokenHistory;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.ledger.TokenState;
import org.metergate.api.outbox.OutboxException;

/**
 * The token ledger in the outbox's SQLite file (tables {@code token_ledger} and {@code token_receipts}, schema
 * version 3; index {@code token_ledger_meter} for a meter's history, version 5). Every call is one transaction on
 * the store thread, so a state change and its receipts commit together and survive a power cut once the call
 * returned ({@code synchronous=FULL}).
 */
final class SqliteTokenLedger implements TokenLedger {

    private static final String ENTRY_COLUMNS = "seq, token_id, meter_id, kind, amount_minor, currency,"
            + " meter_payload, accepted_at, expires_at, state, outcome";
    private static final String RECEIPT_COLUMNS = "id, token_id, meter_id, stage, detail, balance_minor, currency,"
            + " at, uplinked";

    private final SqliteOutbox store;

    SqliteTokenLedger(SqliteOutbox store) {
        this.store = store;
    }

    private <T> T tx(String action, SqliteOutbox.TransactionWork<T> work) {
        try {
            return store.inTransaction(action, work);
        } catch (OutboxException e) {
            throw new LedgerException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<LedgerEntry> record(LedgerEntry entry, Receipt accepted) {
        return tx("recording credit token " + entry.tokenId(), c -> {
            if (findIn(c, entry.tokenId()).isPresent()) {
                return Optional.empty();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO token_ledger (token_id, meter_id, kind,"
                    + " amount_minor, currency, meter_payload, accepted_at, expires_at, state, outcome, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, entry.tokenId());
                insert.setString(2, entry.meterId());
                insert.setString(3, entry.kind());
                insert.setLong(4, entry.amountMinor());
                insert.setString(5, entry.currency());
                insert.setBytes(6, entry.meterPayload());
                insert.setLong(7, entry.acceptedAt().toEpochMilli());
                insert.setLong(8, entry.expiresAt().toEpochMilli());
                insert.setString(9, entry.state().name());
                insert.setString(10, entry.outcome());
                insert.setLong(11, Instant.now().toEpochMilli());
                insert.executeUpdate();
            }
            insertReceipts(c, List.of(accepted), true);
            return findIn(c, entry.tokenId());
        });
    }

    @Override
    public Optional<LedgerEntry> find(String tokenId) {
        return tx("reading credit token " + tokenId, c -> findIn(c, tokenId));
    }

    @Override
    public List<StoredReceipt> update(String tokenId, TokenState state, String outcome, List<Receipt> receipts) {
        return tx("updating credit token " + tokenId, c -> {
            try (PreparedStatement u = c.prepareStatement(
                    "UPDATE token_ledger SET state = ?, outcome = ?, updated_at = ? WHERE token_id = ?")) {
                u.setString(1, state.name());
                u.setString(2, outcome);
                u.setLong(3, Instant.now().toEpochMilli());
                u.setString(4, tokenId);
                if (u.executeUpdate() == 0) {
                    throw new IllegalArgumentException("unknown credit token " + tokenId);
                }
            }
            return insertReceipts(c, receipts, false);
        });
    }

    @Override
    public List<StoredReceipt> addReceipts(String tokenId, List<Receipt> receipts) {
        return tx("adding receipts of credit token " + tokenId, c -> {
            if (findIn(c, tokenId).isEmpty()) {
                throw new IllegalArgumentException("unknown credit token " + tokenId);
            }
            return insertReceipts(c, receipts, false);
        });
    }

    @Override
    public List<LedgerEntry> open() {
        return tx("listing open credit tokens", c -> entries(c, "SELECT " + ENTRY_COLUMNS
                + " FROM token_ledger WHERE state IN ('QUEUED', 'ENTERING') ORDER BY seq", null));
    }

    @Override
    public List<TokenHistory> recent(String meterId, int limit) {
        RecentTokens.check(meterId, limit);
        return tx("reading the token history of meter " + meterId, c -> {
            List<LedgerEntry> newest;
            // index token_ledger_meter (schema 5): no sort, stops after limit rows
            try (PreparedStatement q = c.prepareStatement("SELECT " + ENTRY_COLUMNS
                    + " FROM token_ledger WHERE meter_id = ? ORDER BY seq DESC LIMIT ?")) {
                q.setString(1, meterId);
                q.setInt(2, limit);
                newest = entries(q);
            }
            Map<String, List<StoredReceipt>> byToken = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT " + RECEIPT_COLUMNS + " FROM token_receipts"
                    + " WHERE token_id IN (SELECT token_id FROM token_ledger WHERE meter_id = ?"
                    + " ORDER BY seq DESC LIMIT ?) ORDER BY id")) {
                q.setString(1, meterId);
                q.setInt(2, limit);
                for (StoredReceipt r : receipts(q)) {
                    byToken.computeIfAbsent(r.receipt().tokenId(), k -> new ArrayList<>()).add(r);
                }
            }
            return newest.stream()
                    .map(e -> new TokenHistory(e, byToken.getOrDefault(e.tokenId(), List.of()))).toList();
        });
    }

    @Override
    public List<StoredReceipt> receipts(String tokenId) {
        return tx("reading receipts of credit token " + tokenId, c -> receipts(c, "SELECT " + RECEIPT_COLUMNS
                + " FROM token_receipts WHERE token_id = ? ORDER BY id", tokenId));
    }

    @Override
    public List<StoredReceipt> notUplinked() {
        return tx("reading receipts not yet queued", c -> receipts(c, "SELECT " + RECEIPT_COLUMNS
                + " FROM token_receipts WHERE uplinked = 0 ORDER BY id", null));
    }

    @Override
    public void markUplinked(List<Long> receiptIds) {
        if (receiptIds.isEmpty()) {
            return;
        }
        tx("marking " + receiptIds.size() + " receipts queued", c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE token_receipts SET uplinked = 1 WHERE id = ?")) {
                for (Long id : receiptIds) {
                    u.setLong(1, id);
                    u.addBatch();
                }
                u.executeBatch();
            }
            return null;
        });
    }

    @Override
    public int prune(Instant before) {
        return tx("pruning expired credit tokens", c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM token_ledger"
                    + " WHERE state NOT IN ('QUEUED', 'ENTERING') AND expires_at < ?")) {
                d.setLong(1, before.toEpochMilli());
                return d.executeUpdate(); // receipts go with them (ON DELETE CASCADE)
            }
        });
    }

    private static Optional<LedgerEntry> findIn(Connection c, String tokenId) throws SQLException {
        List<LedgerEntry> found = entries(c, "SELECT " + ENTRY_COLUMNS + " FROM token_ledger WHERE token_id = ?",
                tokenId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static List<LedgerEntry> entries(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            if (parameter != null) {
                q.setString(1, parameter);
            }
            return entries(q);
        }
    }

    private static List<LedgerEntry> entries(PreparedStatement q) throws SQLException {
        List<LedgerEntry> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(new LedgerEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getString(6), rs.getBytes(7), Instant.ofEpochMilli(rs.getLong(8)),
                        Instant.ofEpochMilli(rs.getLong(9)), TokenState.valueOf(rs.getString(10)),
                        rs.getString(11)));
            }
        }
        return out;
    }

    private static List<StoredReceipt> receipts(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            if (parameter != null) {
                q.setString(1, parameter);
            }
            return receipts(q);
        }
    }

    private static List<StoredReceipt> receipts(PreparedStatement q) throws SQLException {
        List<StoredReceipt> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                long balance = rs.getLong(6);
                Long balanceMinor = rs.wasNull() ? null : balance;
                Receipt r = new Receipt(rs.getString(2), rs.getString(3), ReceiptStage.valueOf(rs.getString(4)),
                        rs.getString(5), balanceMinor, rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)));
                out.add(new StoredReceipt(rs.getLong(1), r, rs.getInt(9) != 0));
            }
        }
        return out;
    }

    private static List<StoredReceipt> insertReceipts(Connection c, List<Receipt> receipts, boolean uplinked)
            throws SQLException {
        List<StoredReceipt> stored = new ArrayList<>(receipts.size());
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO token_receipts (token_id, meter_id, stage,"
                + " detail, balance_minor, currency, at, uplinked) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            for (Receipt r : receipts) {
                insert.setString(1, r.tokenId());
                insert.setString(2, r.meterId());
                insert.setString(3, r.stage().name());
                insert.setString(4, r.detail());
                if (r.balanceMinor() == null) {
                    insert.setNull(5, Types.INTEGER);
                } else {
                    insert.setLong(5, r.balanceMinor());
                }
                insert.setString(6, r.currency());
                insert.setLong(7, r.at().toEpochMilli());
                insert.setInt(8, uplinked ? 1 : 0);
                long id;
                // RETURNING: the connection does not fetch generated keys (that costs a query per insert)
                try (ResultSet keys = insert.executeQuery()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                stored.add(new StoredReceipt(id, r, uplinked));
            }
        }
        return stored;
    }
}
