// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

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
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.Retention;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsMeterConfig;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.JwsTokenVerifier;
import org.metergate.simulator.dlms.SimClock;
import org.metergate.simulator.dlms.TokenStatus;
import org.metergate.store.embedded.Stores;

/**
 * The prepay engine with the real DLMS driver against the DLMS meter simulator, which checks the same signed
 * tokens as a meter would.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrepayAgainstSimulatorTest {

    private static final Instant SIM_TIME = Instant.parse("2026-03-02T10:07:00Z");
    private static final long MAX_AMOUNT = 50_000;

    @TempDir
    Path dataDir;
    @TempDir
    Path stateDir;

    private final TestTokens tokens = new TestTokens();
    private final TokenLedger ledger = Stores.memoryTokenLedger();
    private final ListOutbox outbox = new ListOutbox();
    private DlmsSimulator sim;
    private DlmsMeter meter;
    private CosemMeter driver;
    private ScheduledExecutorService scheduler;

    @AfterEach
    void stop() throws InterruptedException {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (sim != null) {
            sim.close();
        }
    }

    private void startMeter(UnaryOperator<DlmsMeterConfig.Builder> more) throws Exception {
        sim = DlmsSimulator.builder().count(1).seed(11).stateDir(stateDir).clock(SimClock.frozenAt(SIM_TIME))
                .configure(c -> more.apply(c.currency("EUR", 2).initialCreditMinor(1000)
                        .tokenVerifier(new JwsTokenVerifier(Map.of(TestTokens.KID, tokens.publicKey()),
                                null, Clock.systemUTC(), Duration.ofMinutes(5)))))
                .start();
        meter = sim.meters().get(0);
        driver = DlmsDrivers.driver(meter, serial(), dataDir);
    }

    private String serial() {
        return meter.config().serial();
    }

    private CreditEngine engine(Duration clockSkew) {
        PrepaySettings settings = new PrepaySettings(Map.of(TestTokens.KID, tokens.publicKey()), "EUR", MAX_AMOUNT,
                clockSkew, Map.of(), Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(10),
                Duration.ofSeconds(5));
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor();
        }
        MeterDirectory meters = id -> id.equals(serial()) ? Optional.of(driver) : Optional.empty();
        CreditEngine engine = new CreditEngine(settings, ledger, new ReceiptSink(ledger, outbox, PrepayLog.NONE),
                meters, Clock.systemUTC(), scheduler, Thread::sleep, PrepayLog.NONE);
        engine.start();
        return engine;
    }

    private CreditEngine engine() {
        return engine(Duration.ofMinutes(5));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
            Thread.sleep(10);
        }
    }

    private void awaitState(String tokenId, TokenState state) throws InterruptedException {
        await("token " + tokenId + " " + state,
                () -> ledger.find(tokenId).map(e -> e.state() == state).orElse(false));
    }

    private List<ReceiptStage> stages(CreditEngine engine, String tokenId) {
        return engine.receipts(tokenId).stream().map(Receipt::stage).toList();
    }

    private Receipt receipt(CreditEngine engine, String tokenId, ReceiptStage stage) {
        return engine.receipts(tokenId).stream().filter(r -> r.stage() == stage).findFirst().orElseThrow();
    }

    @Test
    void validTokenAddsExactlyItsAmountWithReceiptsInOrder() throws Exception {
        startMeter(c -> c);
        CreditEngine engine = engine();
        long before = meter.firmware().availableCreditMinor();
        Map<String, Object> claims = tokens.claims(serial(), 2500);
        String jti = (String) claims.get("jti");

        Receipt first = engine.submit(tokens.sign(claims));

        assertThat(first.stage()).isEqualTo(ReceiptStage.ACCEPTED);
        assertThat(first.meterId()).isEqualTo(serial());
        awaitState(jti, TokenState.DONE);
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before + 2500);
        assertThat(meter.firmware().usedTokenIds()).contains(jti);
        assertThat(stages(engine, jti)).containsExactly(ReceiptStage.ACCEPTED, ReceiptStage.ENTERED,
                ReceiptStage.METER_RESULT, ReceiptStage.BALANCE);
        assertThat(receipt(engine, jti, ReceiptStage.METER_RESULT).detail()).isEqualTo("3 execution-ok");
        assertThat(receipt(engine, jti, ReceiptStage.BALANCE).balanceMinor()).isEqualTo(before + 2500);

        // later stages go to the outbox as receipt/v1 messages, in order; the first is the head-end bundle's job
        List<OutboxMessage> sent = outbox.all();
        assertThat(sent).allSatisfy(m -> {
            assertThat(m.kind()).isEqualTo(MessageKind.RECEIPT);
            assertThat(m.retention()).isEqualTo(Retention.RECEIPT);
            assertThat(m.meterId()).isEqualTo(serial());
        });
        assertThat(sent).extracting(OutboxMessage::payload).satisfiesExactly(
                p -> assertThat(p).contains("\"stage\":\"entered\"").contains("\"schema\":\"receipt/v1\""),
                p -> assertThat(p).contains("\"stage\":\"meter-result\"").contains("\"detail\":\"3 execution-ok\""),
                p -> assertThat(p).contains("\"stage\":\"balance\"").contains("\"balance\":" + (before + 2500)));
        assertThat(ledger.notUplinked()).isEmpty();
    }

    @Test
    void stsDigitsArePassedToTheMeterUnchangedAndItsResultReported() throws Exception {
        startMeter(c -> c);
        CreditEngine engine = engine();
        long before = meter.firmware().availableCreditMinor();
        Map<String, Object> claims = tokens.claims(serial(), 1000);
        claims.put("kind", "sts");
        claims.put("sts", "01234567890123456789");
        String jti = (String) claims.get("jti");

        assertThat(engine.submit(tokens.sign(claims)).stage()).isEqualTo(ReceiptStage.ACCEPTED);

        awaitState(jti, TokenState.DONE);
        assertThat(meter.firmware().lastToken()).isEqualTo("01234567890123456789".getBytes(StandardCharsets.US_ASCII));
        // this simulated meter has no STS decoder: it reports a format failure, and so does the receipt
        assertThat(receipt(engine, jti, ReceiptStage.METER_RESULT).detail()).isEqualTo("4 format-fail");
        assertThat(receipt(engine, jti, ReceiptStage.BALANCE).balanceMinor()).isEqualTo(before);
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before);
    }

    @Test
    void tokensOfOneMeterAreAppliedOneAtATimeInArrivalOrder() throws Exception {
        startMeter(c -> c);
        CreditEngine engine = engine();
        long before = meter.firmware().availableCreditMinor();
        List<Map<String, Object>> batch = List.of(tokens.claims(serial(), 100), tokens.claims(serial(), 200),
                tokens.claims(serial(), 300));
        batch.forEach(c -> assertThat(engine.submit(tokens.sign(c)).stage()).isEqualTo(ReceiptStage.ACCEPTED));

        for (Map<String, Object> c : batch) {
            awaitState((String) c.get("jti"), TokenState.DONE);
        }
        // the worker queues a token's receipts right after it writes DONE with them
        await("receipts handed to the outbox", () -> ledger.notUplinked().isEmpty());
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before + 600);
        List<Long> balances = outbox.all().stream().map(OutboxMessage::payload)
                .filter(p -> p.contains("\"stage\":\"balance\""))
                .map(p -> Long.parseLong(p.replaceAll(".*\"balance\":(\\d+).*", "$1"))).toList();
        assertThat(balances).containsExactly(before + 100, before + 300, before + 600);
    }

    @Test
    void attacksAndBadTokensAreRejectedWithTheirReasonAndNothingReachesTheMeter() throws Exception {
        startMeter(c -> c);
        CreditEngine engine = engine(Duration.ZERO);
        long before = meter.firmware().availableCreditMinor();
        long now = Instant.now().getEpochSecond();

        Map<String, String> attacks = new java.util.LinkedHashMap<>();
        attacks.put(tokens.forged(tokens.claims(serial(), 1000)), "bad-signature");
        attacks.put(TestTokens.unsigned(tokens.claims(serial(), 1000)), "algorithm-not-allowed");
        attacks.put(TestTokens.hs256(tokens.claims(serial(), 1000)), "algorithm-not-allowed");
        attacks.put(tokens.unknownKid(tokens.claims(serial(), 1000)), "unknown-key");
        attacks.put(tokens.sign(tokens.claims("99999999", 1000)), "unknown-meter");
        Map<String, Object> expired = tokens.claims(serial(), 1000);
        expired.put("iat", now - 7200);
        expired.put("exp", now - 3600);
        attacks.put(tokens.sign(expired), "expired");
        Map<String, Object> future = tokens.claims(serial(), 1000);
        future.put("iat", now + 3600);
        future.put("exp", now + 7200);
        attacks.put(tokens.sign(future), "not-yet-valid");
        attacks.put(tokens.sign(tokens.claims(serial(), MAX_AMOUNT + 1)), "amount-over-limit");
        attacks.put(tokens.sign(tokens.claims(serial(), 0)), "invalid-amount");
        attacks.put(tokens.sign(tokens.claims(serial(), -500)), "invalid-amount");
        Map<String, Object> overflowing = tokens.claims(serial(), 1);
        overflowing.put("amount", new java.math.BigInteger("99999999999999999999999"));
        attacks.put(tokens.sign(overflowing), "invalid-amount");
        Map<String, Object> fractional = tokens.claims(serial(), 1);
        fractional.put("amount", 10.5);
        attacks.put(tokens.sign(fractional), "invalid-amount");
        Map<String, Object> dollars = tokens.claims(serial(), 1000);
        dollars.put("currency", "USD");
        attacks.put(tokens.sign(dollars), "wrong-currency");
        Map<String, Object> noJti = tokens.claims(serial(), 1000);
        noJti.remove("jti");
        attacks.put(tokens.sign(noJti), "missing-claim");
        Map<String, Object> badKind = tokens.claims(serial(), 1000);
        badKind.put("kind", "gift");
        attacks.put(tokens.sign(badKind), "invalid-kind");
        attacks.put(tokens.signedText("not json"), "malformed");
        attacks.put("a.b", "malformed");
        attacks.put("x".repeat(5000), "oversized");

        for (Map.Entry<String, String> attack : attacks.entrySet()) {
            Receipt r = engine.submit(attack.getKey());
            assertThat(r.stage()).as(attack.getValue()).isEqualTo(ReceiptStage.REJECTED);
            assertThat(r.detail()).as(attack.getValue()).startsWith(attack.getValue() + ": ");
        }
        assertThat(ledger.open()).isEmpty();
        assertThat(outbox.all()).isEmpty();
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before);
        assertThat(meter.firmware().usedTokenIds()).isEmpty();

        // and the gateway keeps working
        Map<String, Object> good = tokens.claims(serial(), 700);
        assertThat(engine.submit(tokens.sign(good)).stage()).isEqualTo(ReceiptStage.ACCEPTED);
        awaitState((String) good.get("jti"), TokenState.DONE);
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before + 700);
    }

    @Test
    void replayGetsADuplicateReceiptRepeatingTheOutcomeAndNothingMore() throws Exception {
        startMeter(c -> c);
        CreditEngine engine = engine();
        long before = meter.firmware().availableCreditMinor();
        Map<String, Object> claims = tokens.claims(serial(), 1200);
        String token = tokens.sign(claims);
        String jti = (String) claims.get("jti");
        engine.submit(token);
        awaitState(jti, TokenState.DONE);
        int sent = outbox.all().size();

        Receipt again = engine.submit(token);
        // a new gateway instance over the same ledger (a restart) says the same
        Receipt afterRestart = engine().submit(token);

        for (Receipt r : List.of(again, afterRestart)) {
            assertThat(r.stage()).isEqualTo(ReceiptStage.DUPLICATE);
            assertThat(r.detail()).contains("original outcome: meter-result 3 execution-ok, balance " + (before + 1200));
        }
        // the same jti on different content is not a duplicate but an attack
        Map<String, Object> sameId = tokens.claims(serial(), 9000);
        sameId.put("jti", jti);
        Receipt reused = engine.submit(tokens.sign(sameId));
        assertThat(reused.stage()).isEqualTo(ReceiptStage.REJECTED);
        assertThat(reused.detail()).startsWith("reused-token-id: ");

        Thread.sleep(200); // give a wrongly scheduled second entry the chance to show
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before + 1200);
        assertThat(outbox.all()).hasSize(sent);
    }

    @Test
    void meterRejectsAReplayEnteredBehindTheGatewaysBack() throws Exception {
        startMeter(c -> c);
        Map<String, Object> claims = tokens.claims(serial(), 400);
        byte[] token = tokens.sign(claims).getBytes(StandardCharsets.US_ASCII);
        long before = meter.firmware().availableCreditMinor();

        assertThat(meter.firmware().enterToken(token)).isEqualTo(TokenStatus.EXECUTION_OK);
        assertThat(meter.firmware().enterToken(token)).isEqualTo(TokenStatus.VALIDATION_FAIL);
        Map<String, Object> other = tokens.claims("10000099", 400);
        assertThat(meter.firmware().enterToken(tokens.sign(other).getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(TokenStatus.VALIDATION_FAIL);
        assertThat(meter.firmware().enterToken(tokens.forged(tokens.claims(serial(), 400))
                .getBytes(StandardCharsets.US_ASCII))).isEqualTo(TokenStatus.AUTHENTICATION_FAIL);
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before + 400);
    }

    @Test
    void aTokenFoundEnteringAfterACrashIsNotEnteredTwice() throws Exception {
        startMeter(c -> c);
        long before = meter.firmware().availableCreditMinor();
        Map<String, Object> claims = tokens.claims(serial(), 900);
        String token = tokens.sign(claims);
        String jti = (String) claims.get("jti");
        // the gateway recorded the token and persisted "entering", the meter applied it, then the gateway died
        recordEntering(jti, token, 900);
        assertThat(meter.firmware().enterToken(token.getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(TokenStatus.EXECUTION_OK);

        CreditEngine restarted = engine();

        awaitState(jti, TokenState.DONE);
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before + 900);
        // entering it again would have left the meter's status at validation fail (already used)
        assertThat(meter.firmware().lastTokenStatus()).isEqualTo(TokenStatus.EXECUTION_OK);
        assertThat(stages(restarted, jti)).containsExactly(ReceiptStage.ACCEPTED, ReceiptStage.ENTERED,
                ReceiptStage.METER_RESULT, ReceiptStage.BALANCE);
        assertThat(receipt(restarted, jti, ReceiptStage.BALANCE).balanceMinor()).isEqualTo(before + 900);
    }

    @Test
    void aTokenFoundEnteringThatNeverReachedTheMeterIsEnteredOnce() throws Exception {
        startMeter(c -> c);
        long before = meter.firmware().availableCreditMinor();
        Map<String, Object> claims = tokens.claims(serial(), 350);
        String jti = (String) claims.get("jti");
        recordEntering(jti, tokens.sign(claims), 350);

        engine();

        awaitState(jti, TokenState.DONE);
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before + 350);
        assertThat(meter.firmware().lastTokenStatus()).isEqualTo(TokenStatus.EXECUTION_OK);
    }

    private void recordEntering(String jti, String token, long amount) {
        LedgerEntry entry = new LedgerEntry(0, jti, serial(), "credit", amount, "EUR",
                token.getBytes(StandardCharsets.US_ASCII), Instant.now(), Instant.now().plusSeconds(3600),
                TokenState.QUEUED, null);
        ledger.record(entry, new Receipt(jti, serial(), ReceiptStage.ACCEPTED, "accepted", null, "EUR", Instant.now()));
        ledger.update(jti, TokenState.ENTERING, null, List.of());
    }

    @Test
    void anUnreachableMeterKeepsTheTokenQueuedUntilItAnswersAgain() throws Exception {
        startMeter(c -> c);
        CreditEngine engine = engine();
        long before = meter.firmware().availableCreditMinor();
        meter.faults().noAnswer(true);
        Map<String, Object> claims = tokens.claims(serial(), 800);
        String jti = (String) claims.get("jti");

        assertThat(engine.submit(tokens.sign(claims)).stage()).isEqualTo(ReceiptStage.ACCEPTED);
        await("queued receipt", () -> stages(engine, jti).contains(ReceiptStage.QUEUED));
        assertThat(receipt(engine, jti, ReceiptStage.QUEUED).detail()).contains("unreachable").contains("retrying until");
        assertThat(ledger.find(jti).orElseThrow().state().open()).isTrue();
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before);

        meter.faults().clear();
        awaitState(jti, TokenState.DONE);
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before + 800);
        assertThat(stages(engine, jti)).containsExactly(ReceiptStage.ACCEPTED, ReceiptStage.QUEUED,
                ReceiptStage.ENTERED, ReceiptStage.METER_RESULT, ReceiptStage.BALANCE);
    }

    @Test
    void aTokenThatExpiresWhileTheMeterIsUnreachableEndsExpiredAndIsNeverApplied() throws Exception {
        startMeter(c -> c);
        CreditEngine engine = engine(Duration.ZERO);
        long before = meter.firmware().availableCreditMinor();
        meter.faults().noAnswer(true);
        Map<String, Object> claims = tokens.claims(serial(), 800);
        long now = Instant.now().getEpochSecond();
        claims.put("exp", now + 2);
        String jti = (String) claims.get("jti");

        assertThat(engine.submit(tokens.sign(claims)).stage()).isEqualTo(ReceiptStage.ACCEPTED);
        awaitState(jti, TokenState.EXPIRED);
        meter.faults().clear();

        assertThat(stages(engine, jti)).containsExactly(ReceiptStage.ACCEPTED, ReceiptStage.QUEUED,
                ReceiptStage.EXPIRED);
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before);
        assertThat(outbox.all().get(outbox.all().size() - 1).payload()).contains("\"stage\":\"expired\"");
    }

    @Test
    void topUpOfADisconnectedMeterReconnectsItWhenTheModeAllowsRemoteReconnection() throws Exception {
        startMeter(c -> c.controlMode(2));
        assertThat(meter.firmware().remoteDisconnect()).isTrue();
        assertThat(meter.firmware().relayConnected()).isFalse();
        CreditEngine engine = engine();
        Map<String, Object> claims = tokens.claims(serial(), 1500);
        String jti = (String) claims.get("jti");

        engine.submit(tokens.sign(claims));

        awaitState(jti, TokenState.DONE);
        await("relay closed", () -> meter.firmware().relayConnected());
        assertThat(stages(engine, jti)).doesNotContain(ReceiptStage.READY_FOR_RECONNECTION);
    }

    @Test
    void topUpOfADisconnectedMeterInAButtonModeReportsReadyForReconnection() throws Exception {
        startMeter(c -> c.controlMode(1));
        assertThat(meter.firmware().remoteDisconnect()).isTrue();
        CreditEngine engine = engine();
        Map<String, Object> claims = tokens.claims(serial(), 1500);
        String jti = (String) claims.get("jti");

        engine.submit(tokens.sign(claims));

        await("ready-for-reconnection receipt", () -> stages(engine, jti).contains(ReceiptStage.READY_FOR_RECONNECTION));
        assertThat(receipt(engine, jti, ReceiptStage.READY_FOR_RECONNECTION).detail()).contains("button");
        assertThat(meter.firmware().relayConnected()).isFalse();
        assertThat(meter.firmware().controlState()).isEqualTo(2);
    }
}
