// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.credit.Receipt;
import org.metergate.api.credit.ReceiptStage;
import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.TokenState;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.Retention;
import org.metergate.api.state.PendingMessage;
import org.metergate.testing.BundleManifests;

/** The factory other modules' tests use, and that the bundle keeps it to itself. */
class StoresTest {

    @TempDir
    Path dir;

    private static LedgerEntry entry(String jti) {
        return new LedgerEntry(0, jti, "d1", "credit", 500, "EUR", new byte[] {1}, Instant.now(),
                Instant.now().plusSeconds(3600), TokenState.QUEUED, null);
    }

    private static Receipt accepted(String jti) {
        return new Receipt(jti, "d1", ReceiptStage.ACCEPTED, "accepted", null, "EUR", Instant.now());
    }

    @Test
    void theSqliteStoreKeepsMessagesStateAndTokensAcrossAReopen() throws Exception {
        Path file = dir.resolve("metergate.db");
        try (EmbeddedStore store = Stores.sqlite(file)) {
            store.outbox().append(MessageKind.EVENT, "m1", Retention.ALARM, "{\"type\":\"tamper\"}");
            store.meterState().appendWithState("m1", List.of(new PendingMessage(MessageKind.READING,
                    Retention.BILLING, "{\"obis\":\"1-0:1.8.0*255\"}")), Map.of("profile.cursor", "2026-03-01"));
            assertThat(store.tokenLedger().record(entry("t-1"), accepted("t-1"))).isPresent();
        }
        try (EmbeddedStore store = Stores.sqlite(file)) {
            assertThat(store.outbox().oldest(EnumSet.allOf(MessageKind.class), 10)).extracting(OutboxMessage::kind)
                    .containsExactly(MessageKind.EVENT, MessageKind.READING);
            assertThat(store.meterState().state("m1")).containsEntry("profile.cursor", "2026-03-01");
            assertThat(store.tokenLedger().find("t-1")).isPresent();
            assertThat(store.tokenLedger().record(entry("t-1"), accepted("t-1"))).isEmpty();
        }
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void limitsBelowTheSmallestThatWorksAreRefusedWithTheLimitNamed() {
        assertThatThrownBy(() -> Stores.sqlite(dir.resolve("small.db"), 1, 1 << 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessages is 1");
    }

    @Test
    void aClosedStoreRefusesFurtherMessages() throws Exception {
        EmbeddedStore store = Stores.memory();
        store.outbox().append(MessageKind.EVENT, "m1", Retention.ALARM, "{}");
        store.close();
        assertThatThrownBy(() -> store.outbox().append(MessageKind.EVENT, "m1", Retention.ALARM, "{}"))
                .isInstanceOfSatisfying(OutboxException.class,
                        e -> assertThat(e.reason()).isEqualTo(OutboxException.Reason.CLOSED));
    }

    @Test
    void aMemoryLedgerRefusesATokenIdTwice() {
        var ledger = Stores.memoryTokenLedger();
        assertThat(ledger.record(entry("t-2"), accepted("t-2"))).isPresent();
        assertThat(ledger.record(entry("t-2"), accepted("t-2"))).isEmpty();
    }

    @Test
    void theBundleExportsNeitherTheFactoryNorTheInternals() throws Exception {
        BundleManifests.assertExportsNothing("org.metergate.store.embedded", "org.metergate.store.internal");
    }
}
