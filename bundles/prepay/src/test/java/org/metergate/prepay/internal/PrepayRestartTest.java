// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.credit.Receipt;
import org.metergate.api.credit.ReceiptStage;
import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.ledger.TokenState;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.JwsTokenVerifier;
import org.metergate.simulator.dlms.SimClock;
import org.metergate.simulator.dlms.TokenStatus;
import org.metergate.store.embedded.EmbeddedStore;
import org.metergate.store.embedded.Stores;

/** Gateway restarts over the store bundle's SQLite ledger and outbox, against the DLMS simulator. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrepayRestartTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path dbDir;
    @TempDir
    Path stateDir;

    private final TestTokens tokens = new TestTokens();
    private DlmsSimulator sim;
    private DlmsMeter meter;
    private CosemMeter driver;
    private EmbeddedStore store;
    private ScheduledExecutorService scheduler;

    private void startMeter() throws Exception {
        sim = DlmsSimulator.builder().count(1).seed(5).stateDir(stateDir)
                .clock(SimClock.frozenAt(Instant.parse("2026-03-02T10:07:00Z")))
                .configure(c -> c.currency("EUR", 2).initialCreditMinor(1000).tokenVerifier(new JwsTokenVerifier(
                        Map.of(TestTokens.KID, tokens.publicKey()), null, Clock.systemUTC(), Duration.ofMinutes(5))))
                .start();
        meter = sim.meters().get(0);
        driver = DlmsDrivers.driver(meter, meter.config().serial(), dataDir);
    }

    /** A gateway start: the store opens the database, the engine picks up open tokens. */
    private CreditEngine startGateway() throws Exception {
        store = Stores.sqlite(dbDir.resolve("metergate.db"));
        scheduler = Executors.newSingleThreadScheduledExecutor();
        PrepaySettings settings = new PrepaySettings(Map.of(TestTokens.KID, tokens.publicKey()), "EUR", 50_000,
                Duration.ofMinutes(5), Map.of(), Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(10),
                Duration.ofSeconds(5));
        String serial = meter.config().serial();
        CreditEngine engine = new CreditEngine(settings, ledger(), new ReceiptSink(ledger(), outbox(),
                PrepayLog.NONE), id -> id.equals(serial) ? Optional.of(driver) : Optional.empty(), Clock.systemUTC(),
                scheduler, Thread::sleep, PrepayLog.NONE);
        engine.start();
        return engine;
    }

    /** A gateway stop: the worker ends, the database closes. */
    private void stopGateway() throws Exception {
        scheduler.shutdownNow();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        store.close();
        store = null;
    }

    private TokenLedger ledger() {
        return store.tokenLedger();
    }

    private Outbox outbox() {
        return store.outbox();
    }

    @AfterEach
    void stop() throws Exception {
        if (store != null) {
            stopGateway();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
            Thread.sleep(10);
        }
    }

    private void awaitState(String jti, TokenState state) throws InterruptedException {
        await(jti + " " + state, () -> ledger().find(jti).map(e -> e.state() == state).orElse(false));
    }

    @Test
    void aTokenQueuedBeforeARestartIsAppliedAfterItOnceAndItsReplayIsADuplicate() throws Exception {
        startMeter();
        long before = meter.firmware().availableCreditMinor();
        meter.faults().noAnswer(true);
        CreditEngine first = startGateway();
        Map<String, Object> claims = tokens.claims(meter.config().serial(), 1300);
        String token = tokens.sign(claims);
        String jti = (String) claims.get("jti");
        assertThat(first.submit(token).stage()).isEqualTo(ReceiptStage.ACCEPTED);
        await("queued receipt", () -> first.receipts(jti).stream().anyMatch(r -> r.stage() == ReceiptStage.QUEUED));
        stopGateway();

        meter.faults().clear();
        CreditEngine second = startGateway();
        awaitState(jti, TokenState.DONE);
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before + 1300);

        Receipt replay = second.submit(token);
        assertThat(replay.stage()).isEqualTo(ReceiptStage.DUPLICATE);
        assertThat(second.receipts(jti)).extracting(Receipt::stage).containsExactly(ReceiptStage.ACCEPTED,
                ReceiptStage.QUEUED, ReceiptStage.ENTERED, ReceiptStage.METER_RESULT, ReceiptStage.BALANCE);
        // receipts after the first went to the durable outbox, across the restart (the worker queues them right
        // after it writes DONE with them, so wait until the ledger has none left to send)
        await("receipts handed to the outbox", () -> ledger().notUplinked().isEmpty());
        List<OutboxMessage> queued = outbox().oldest(EnumSet.of(MessageKind.RECEIPT), 100);
        assertThat(queued).extracting(OutboxMessage::payload).allSatisfy(p -> assertThat(p).contains(jti));
        assertThat(queued).hasSize(4);
    }

    @Test
    void aReplayAfterTheDatabaseWasRestoredFromBeforeTheTokenIsRefusedByTheMeter() throws Exception {
        startMeter();
        long before = meter.firmware().availableCreditMinor();
        startGateway();
        stopGateway();
        Path backup = dbDir.resolve("backup");
        Files.createDirectories(backup);
        Files.copy(dbDir.resolve("metergate.db"), backup.resolve("metergate.db"));

        CreditEngine first = startGateway();
        Map<String, Object> claims = tokens.claims(meter.config().serial(), 700);
        String token = tokens.sign(claims);
        String jti = (String) claims.get("jti");
        assertThat(first.submit(token).stage()).isEqualTo(ReceiptStage.ACCEPTED);
        awaitState(jti, TokenState.DONE);
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before + 700);
        stopGateway();

        // the database comes back from the backup taken before the token: the gateway's ledger has forgotten it
        try (var files = Files.list(dbDir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("metergate.db")).toList()) {
                Files.delete(f);
            }
        }
        Files.copy(backup.resolve("metergate.db"), dbDir.resolve("metergate.db"));
        CreditEngine restored = startGateway();
        assertThat(ledger().find(jti)).isEmpty();

        assertThat(restored.submit(token).stage()).isEqualTo(ReceiptStage.ACCEPTED);
        awaitState(jti, TokenState.DONE);
        // the meter's own used-token list refuses it: nothing is added, and the receipt says what the meter said
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before + 700);
        assertThat(meter.firmware().lastTokenStatus()).isEqualTo(TokenStatus.VALIDATION_FAIL);
        assertThat(restored.receipts(jti)).filteredOn(r -> r.stage() == ReceiptStage.METER_RESULT).singleElement()
                .satisfies(r -> assertThat(r.detail()).startsWith("6 "));
        assertThat(restored.receipts(jti)).filteredOn(r -> r.stage() == ReceiptStage.BALANCE).singleElement()
                .satisfies(r -> assertThat(r.balanceMinor()).isEqualTo(before + 700));
    }

    @Test
    void aCrashAfterTheMeterAppliedATokenDoesNotApplyItAgain() throws Exception {
        startMeter();
        long before = meter.firmware().availableCreditMinor();
        Map<String, Object> claims = tokens.claims(meter.config().serial(), 600);
        String token = tokens.sign(claims);
        String jti = (String) claims.get("jti");
        // what a kill between ACTION and receipts leaves: ledger "entering", meter has applied the token
        store = Stores.sqlite(dbDir.resolve("metergate.db"));
        ledger().record(new LedgerEntry(0, jti, meter.config().serial(), "credit", 600, "EUR",
                token.getBytes(StandardCharsets.US_ASCII), Instant.now(), Instant.now().plusSeconds(3600),
                TokenState.QUEUED, null), new Receipt(jti, meter.config().serial(), ReceiptStage.ACCEPTED, "accepted",
                        null, "EUR", Instant.now()));
        ledger().update(jti, TokenState.ENTERING, null, List.of());
        assertThat(meter.firmware().enterToken(token.getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(TokenStatus.EXECUTION_OK);
        store.close();
        store = null;

        CreditEngine second = startGateway();

        awaitState(jti, TokenState.DONE);
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before + 600);
        assertThat(meter.firmware().lastTokenStatus()).isEqualTo(TokenStatus.EXECUTION_OK);
        assertThat(second.submit(token).stage()).isEqualTo(ReceiptStage.DUPLICATE);
    }
}
