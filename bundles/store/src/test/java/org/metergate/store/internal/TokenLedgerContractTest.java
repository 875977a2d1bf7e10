// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metergate.api.credit.Receipt;
import org.metergate.api.credit.ReceiptStage;
import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.StoredReceipt;
import org.metergate.api.ledger.TokenHistory;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.ledger.TokenState;

/**
 * What every {@link TokenLedger} must do, in the style of Kura's message-store provider tests: one abstract class,
 * one small subclass per implementation (memory and SQLite here; bundles/prepay runs it against its test ledger).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class TokenLedgerContractTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    protected TokenLedger ledger;

    /** A fresh, empty ledger. */
    protected abstract TokenLedger newLedger() throws Exception;

    /** The same ledger as a restarted gateway sees it; memory-only ledgers return the same instance. */
    protected TokenLedger reopen() throws Exception {
        return ledger;
    }

    @BeforeEach
    void open() throws Exception {
        ledger = newLedger();
    }

    static LedgerEntry entry(String jti, String meter, Instant expires) {
        return new LedgerEntry(0, jti, meter, "credit", 100, "EUR", ("token-" + jti).getBytes(StandardCharsets.US_ASCII),
                T0, expires, TokenState.QUEUED, null);
    }

    static Receipt receipt(String jti, ReceiptStage stage) {
        return new Receipt(jti, "m1", stage, stage.wireName(), stage == ReceiptStage.BALANCE ? 1234L : null, "EUR", T0);
    }

    @Test
    void recordsATokenOnceWithItsAcceptedReceipt() throws Exception {
        assertThat(ledger.record(entry("a", "m1", T0.plusSeconds(60)), receipt("a", ReceiptStage.ACCEPTED)))
                .hasValueSatisfying(e -> assertThat(e.sequence()).isPositive());
        assertThat(ledger.record(entry("a", "m2", T0.plusSeconds(60)), receipt("a", ReceiptStage.ACCEPTED))).isEmpty();

        TokenLedger after = reopen();
        LedgerEntry a = after.find("a").orElseThrow();
        assertThat(a.meterId()).isEqualTo("m1");
        assertThat(a.meterPayload()).isEqualTo("token-a".getBytes(StandardCharsets.US_ASCII));
        assertThat(a.state()).isEqualTo(TokenState.QUEUED);
        assertThat(after.receipts("a")).singleElement().satisfies(r -> {
            assertThat(r.receipt().stage()).isEqualTo(ReceiptStage.ACCEPTED);
            assertThat(r.uplinked()).isTrue();
        });
        assertThat(after.find("unknown")).isEmpty();
        assertThat(after.receipts("unknown")).isEmpty();
    }

    @Test
    void openTokensComeInArrivalOrderAndLeaveWhenDone() throws Exception {
        for (String jti : List.of("c", "a", "b")) {
            ledger.record(entry(jti, "m1", T0.plusSeconds(60)), receipt(jti, ReceiptStage.ACCEPTED));
        }
        ledger.update("a", TokenState.ENTERING, null, List.of());
        ledger.update("c", TokenState.DONE, "meter-result 3", List.of(receipt("c", ReceiptStage.METER_RESULT)));

        TokenLedger after = reopen();
        assertThat(after.open()).extracting(LedgerEntry::tokenId).containsExactly("a", "b");
        assertThat(after.open().get(0).state()).isEqualTo(TokenState.ENTERING);
        assertThat(after.find("c").orElseThrow().outcome()).isEqualTo("meter-result 3");
    }

    @Test
    void stateAndReceiptsChangeTogetherAndReceiptsKeepTheirOrder() throws Exception {
        ledger.record(entry("a", "m1", T0.plusSeconds(60)), receipt("a", ReceiptStage.ACCEPTED));
        ledger.addReceipts("a", List.of(receipt("a", ReceiptStage.ENTERED)));
        List<StoredReceipt> stored = ledger.update("a", TokenState.DONE, "done",
                List.of(receipt("a", ReceiptStage.METER_RESULT), receipt("a", ReceiptStage.BALANCE)));

        assertThat(stored).extracting(s -> s.receipt().stage())
                .containsExactly(ReceiptStage.METER_RESULT, ReceiptStage.BALANCE);
        TokenLedger after = reopen();
        assertThat(after.receipts("a")).extracting(s -> s.receipt().stage()).containsExactly(ReceiptStage.ACCEPTED,
                ReceiptStage.ENTERED, ReceiptStage.METER_RESULT, ReceiptStage.BALANCE);
        assertThat(after.receipts("a").get(3).receipt().balanceMinor()).isEqualTo(1234L);
        assertThat(after.receipts("a")).extracting(StoredReceipt::id).isSorted();
        assertThatThrownBy(() -> after.update("nope", TokenState.DONE, null, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void receiptsNotYetInTheOutboxAreRememberedUntilMarked() throws Exception {
        ledger.record(entry("a", "m1", T0.plusSeconds(60)), receipt("a", ReceiptStage.ACCEPTED));
        List<StoredReceipt> added = ledger.addReceipts("a",
                List.of(receipt("a", ReceiptStage.ENTERED), receipt("a", ReceiptStage.METER_RESULT)));
        assertThat(reopen().notUplinked()).extracting(StoredReceipt::id)
                .containsExactly(added.get(0).id(), added.get(1).id());

        reopen().markUplinked(List.of(added.get(0).id(), 999_999L));

        assertThat(reopen().notUplinked()).extracting(StoredReceipt::id).containsExactly(added.get(1).id());
    }

    @Test
    void pruneForgetsOnlyFinishedTokensThatExpiredBeforeTheLimit() throws Exception {
        ledger.record(entry("old-done", "m1", T0.plusSeconds(10)), receipt("old-done", ReceiptStage.ACCEPTED));
        ledger.update("old-done", TokenState.DONE, "done", List.of());
        ledger.record(entry("old-open", "m1", T0.plusSeconds(10)), receipt("old-open", ReceiptStage.ACCEPTED));
        ledger.record(entry("new-done", "m1", T0.plusSeconds(100)), receipt("new-done", ReceiptStage.ACCEPTED));
        ledger.update("new-done", TokenState.DONE, "done", List.of());

        assertThat(ledger.prune(T0.plusSeconds(50))).isEqualTo(1);

        TokenLedger after = reopen();
        assertThat(after.find("old-done")).isEmpty();
        assertThat(after.receipts("old-done")).isEmpty();
        assertThat(after.find("old-open")).isPresent();
        assertThat(after.find("new-done")).isPresent();
    }

    @Test
    void recentListsAMetersTokensNewestFirstWithTheirReceipts() throws Exception {
        // arrival order c, x, a, y, b, d: not alphabetical, meters interleaved
        for (String jti : List.of("c", "x", "a", "y", "b", "d")) {
            String meter = jti.equals("x") || jti.equals("y") ? "m2" : "m1";
            ledger.record(entry(jti, meter, T0.plusSeconds(60)), receipt(jti, ReceiptStage.ACCEPTED));
        }
        ledger.update("c", TokenState.DONE, "credit added",
                List.of(receipt("c", ReceiptStage.METER_RESULT), receipt("c", ReceiptStage.BALANCE)));
        ledger.update("a", TokenState.EXPIRED, "expired", List.of(receipt("a", ReceiptStage.EXPIRED)));
        ledger.update("b", TokenState.ENTERING, null, List.of(receipt("b", ReceiptStage.ENTERED)));

        TokenLedger after = reopen();
        assertThat(after.recent("m1", 10)).extracting(h -> h.entry().tokenId()).containsExactly("d", "b", "a", "c");
        assertThat(after.recent("m1", 3)).extracting(h -> h.entry().tokenId()).containsExactly("d", "b", "a");
        assertThat(after.recent("m1", 1)).extracting(h -> h.entry().tokenId()).containsExactly("d");
        assertThat(after.recent("m2", 10)).extracting(h -> h.entry().tokenId()).containsExactly("y", "x");
        assertThat(after.recent("m3", 10)).isEmpty();

        List<TokenHistory> m1 = after.recent("m1", 10);
        assertThat(m1).extracting(h -> h.entry().state()).containsExactly(TokenState.QUEUED, TokenState.ENTERING,
                TokenState.EXPIRED, TokenState.DONE);
        assertThat(m1.get(3).entry().outcome()).isEqualTo("credit added");
        assertThat(m1.get(3).entry().meterPayload()).isEqualTo("token-c".getBytes(StandardCharsets.US_ASCII));
        assertThat(m1).extracting(h -> h.receipts().stream().map(r -> r.receipt().stage()).toList()).containsExactly(
                List.of(ReceiptStage.ACCEPTED),
                List.of(ReceiptStage.ACCEPTED, ReceiptStage.ENTERED),
                List.of(ReceiptStage.ACCEPTED, ReceiptStage.EXPIRED),
                List.of(ReceiptStage.ACCEPTED, ReceiptStage.METER_RESULT, ReceiptStage.BALANCE));
        assertThat(m1).allSatisfy(h -> assertThat(h.receipts()).allSatisfy(
                r -> assertThat(r.receipt().tokenId()).isEqualTo(h.entry().tokenId())));
        assertThat(m1.get(3).receipts()).isEqualTo(after.receipts("c"));
        assertThat(m1.get(3).lastReceipt()).hasValueSatisfying(r -> {
            assertThat(r.receipt().stage()).isEqualTo(ReceiptStage.BALANCE);
            assertThat(r.receipt().balanceMinor()).isEqualTo(1234L);
            assertThat(r.uplinked()).isFalse();
        });
        assertThat(m1.get(0).lastReceipt()).hasValueSatisfying(r -> assertThat(r.uplinked()).isTrue());
    }

    @Test
    void recentNoLongerListsPrunedTokens() throws Exception {
        ledger.record(entry("old-done", "m1", T0.plusSeconds(10)), receipt("old-done", ReceiptStage.ACCEPTED));
        ledger.update("old-done", TokenState.DONE, "done", List.of(receipt("old-done", ReceiptStage.METER_RESULT)));
        ledger.record(entry("old-open", "m1", T0.plusSeconds(10)), receipt("old-open", ReceiptStage.ACCEPTED));
        ledger.record(entry("new-done", "m1", T0.plusSeconds(100)), receipt("new-done", ReceiptStage.ACCEPTED));
        ledger.update("new-done", TokenState.DONE, "done", List.of());
        assertThat(ledger.recent("m1", 10)).hasSize(3);

        ledger.prune(T0.plusSeconds(50));

        assertThat(reopen().recent("m1", 10)).extracting(h -> h.entry().tokenId())
                .containsExactly("new-done", "old-open");
        assertThat(reopen().recent("m1", 1)).extracting(h -> h.entry().tokenId()).containsExactly("new-done");
    }

    @Test
    void recentRefusesALimitOutOfRange() {
        ledger.record(entry("a", "m1", T0.plusSeconds(60)), receipt("a", ReceiptStage.ACCEPTED));
        for (int limit : List.of(0, -1, TokenLedger.MAX_RECENT + 1)) {
            assertThatThrownBy(() -> ledger.recent("m1", limit)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("limit").hasMessageContaining(Integer.toString(limit));
        }
        assertThatThrownBy(() -> ledger.recent(null, 5)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("meterId");
        assertThat(ledger.recent("m1", TokenLedger.MAX_RECENT)).hasSize(1);
    }

    @Test
    void concurrentRecordsOfOneTokenLetExactlyOneWin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = pool.invokeAll(java.util.Collections.nCopies(8,
                    () -> ledger.record(entry("same", "m1", T0.plusSeconds(60)),
                            receipt("same", ReceiptStage.ACCEPTED)).isPresent()));
            long winners = 0;
            for (Future<Boolean> f : results) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(ledger.receipts("same")).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
