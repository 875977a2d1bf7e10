// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.credit.ReceiptStage;
import org.metergate.api.ledger.LedgerException;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.ledger.TokenState;

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
    void aClosedStoreSaysSo() throws Exception {
        store.close();
        assertThatThrownBy(() -> ledger.open()).isInstanceOf(LedgerException.class).hasMessageContaining("closed");
    }
}
