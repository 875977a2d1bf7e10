// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.credit.ReceiptStage;
import org.metergate.api.ledger.LedgerException;
import org.metergate.api.ledger.TokenHistory;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.ledger.TokenState;
import org.sqlite.SQLiteDataSource;

/** The ledger contract on SQLite; {@link #reopen()} closes the database and opens the file again. */
class SqliteTokenLedgerContractTest extends TokenLedgerContractTest {

    @TempDir
    Path dir;

    private SqliteOutbox store;

    @Override
    protected TokenLedger newLedger() throws Exception {
        store = SqliteOutbox.open(SqliteOutbox.Settings.defaults(dir.resolve("ledger.db")), Clock.systemUTC());
        return new SqliteTokenLedger(store);
    }

    @Override
    protected TokenLedger reopen() throws Exception {
        store.close();
        ledger = newLedger();
        return ledger;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aFailedUpdateChangesNeitherStateNorReceipts() throws Exception {
        ledger.record(entry("a", "m1", Instant.now().plusSeconds(60)), receipt("a", ReceiptStage.ACCEPTED));
        // a receipt for a token id that is not in the ledger violates the foreign key in the same transaction
        assertThatThrownBy(() -> ledger.update("a", TokenState.DONE, "done",
                List.of(receipt("a", ReceiptStage.METER_RESULT), receipt("ghost", ReceiptStage.BALANCE))))
                .isInstanceOf(LedgerException.class);

        TokenLedger after = reopen();
        assertThat(after.find("a").orElseThrow().state()).isEqualTo(TokenState.QUEUED);
        assertThat(after.receipts("a")).hasSize(1);
    }

    @Test
    void aMetersHistoryIsReadThroughItsIndexWithoutSorting() throws Exception {
        List<String> plan = new ArrayList<>();
        store.runOnStoreThread(c -> {
            try (PreparedStatement q = c.prepareStatement("EXPLAIN QUERY PLAN SELECT seq FROM token_ledger"
                    + " WHERE meter_id = ? ORDER BY seq DESC LIMIT ?")) {
                q.setString(1, "m1");
                q.setInt(2, 20);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        plan.add(rs.getString("detail"));
                    }
                }
            }
        });
        assertThat(plan).anySatisfy(step -> assertThat(step).contains("token_ledger_meter"))
                .noneSatisfy(step -> assertThat(step).contains("TEMP B-TREE"));
    }

    @Test
    void aVersion4DatabaseKeepsItsTokensAndGainsTheHistoryIndex() throws Exception {
        store.close();
        Path file = dir.resolve("v4.db");
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
            for (SchemaMigrations.Migration m : SchemaMigrations.ALL.subList(0, 4)) {
                m.step().apply(c);
            }
            s.execute("PRAGMA user_version = 4");
            s.execute("INSERT INTO token_ledger (token_id, meter_id, kind, amount_minor, currency, meter_payload,"
                    + " accepted_at, expires_at, state, outcome, updated_at) VALUES"
                    + " ('first', 'm1', 'credit', 100, 'EUR', x'01', 0, 60000, 'DONE', 'done', 0),"
                    + " ('second', 'm1', 'credit', 200, 'EUR', x'02', 1000, 61000, 'QUEUED', NULL, 1000)");
            s.execute("INSERT INTO token_receipts (token_id, meter_id, stage, detail, balance_minor, currency, at,"
                    + " uplinked) VALUES ('first', 'm1', 'ACCEPTED', NULL, NULL, NULL, 0, 1),"
                    + " ('first', 'm1', 'METER_RESULT', 'ok', NULL, NULL, 500, 0)");
        }
        store = SqliteOutbox.open(SqliteOutbox.Settings.defaults(file), Clock.systemUTC());
        List<TokenHistory> history = new SqliteTokenLedger(store).recent("m1", 10);
        assertThat(history).extracting(h -> h.entry().tokenId()).containsExactly("second", "first");
        assertThat(history.get(1).receipts()).extracting(r -> r.receipt().stage())
                .containsExactly(ReceiptStage.ACCEPTED, ReceiptStage.METER_RESULT);
        assertThat(history.get(0).receipts()).isEmpty();
        store.close();
        try (Connection c = source.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index'"
                        + " AND name = 'token_ledger_meter'")) {
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void aClosedStoreSaysSo() throws Exception {
        store.close();
        assertThatThrownBy(() -> ledger.open()).isInstanceOf(LedgerException.class).hasMessageContaining("closed");
    }
}
