// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.TokenState;
import org.metergate.headendsim.EmbeddedBroker;
import org.metergate.headendsim.HeadendSimulator;
import org.metergate.headendsim.Pki;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.JwsTokenVerifier;
import org.metergate.simulator.dlms.SimClock;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * {@code kill -9} of the real gateway JVM at every step of a credit token's way to the meter, over randomized runs:
 * the meter's credit ends up exactly the initial credit plus the sum of the distinct accepted tokens (none lost,
 * none doubled), each token id is in the meter's used-token list, and a push of a known token after the restart
 * is answered {@code duplicate}.
 *
 * <p>No hooks in the gateway: the simulated meter answers every frame late ({@code answerDelay}) and verifies
 * tokens in the background ({@code tokenProcessingDelay}), which widens each step; every run aims at one step
 * (kill right after the push, a little later, once the meter holds the token unprocessed, once the meter applied
 * it) with a random offset, and what was actually hit is read afterwards from a copy of the gateway's ledger
 * (through the store's own code) and the meter's used-token list:
 * <ul>
 * <li>{@code BEFORE_LEDGER}: the ledger does not know the token;
 * <li>{@code AFTER_LEDGER}: recorded and queued, not yet entering;
 * <li>{@code ENTERING}: persisted as entering, the meter has not applied it;
 * <li>{@code APPLIED_NO_RECEIPT}: the meter applied it, the ledger still says entering (no final receipts);
 * <li>{@code DONE}: the kill came after the final receipts.
 * </ul>
 * After each restart the head-end pushes the token again (as it does for a token without an answer) and waits for
 * its {@code balance} receipt. The counts per step are printed; the short run (CI) does not require every step to
 * be hit, the long run does.
 *
 * <p>Runs: 10 by default (about a minute and a half); {@code -Dtoken.crash.runs=200} for the long version, e.g.
 * {@code mvn -B -o -pl gateway-distro verify -Dit.test=TokenCrashIT -Dtoken.crash.runs=200}; the random seed is
 * printed and can be fixed with {@code -Dtoken.crash.seed=...}.
 */
class TokenCrashIT {

    private static final String GATEWAY = "gw-crash";
    private static final String METER = "d1";
    private static final String KID = "crash-headend";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long INITIAL_CREDIT = 100_000;
    /** Every frame of the meter waits this long: association, each status poll and each read take that much more. */
    private static final Duration ANSWER_DELAY = Duration.ofMillis(120);
    /** The meter reports "received, not yet processed" for this long after the enter. */
    private static final Duration PROCESSING_DELAY = Duration.ofMillis(500);
    /** Steps long runs must all hit. */
    private static final int LONG_RUN = 40;

    enum Step {
        BEFORE_LEDGER, AFTER_LEDGER, ENTERING, APPLIED_NO_RECEIPT, DONE
    }

    @TempDir
    Path pkiDir;
    @TempDir
    Path stateDir;

    private final ECKey headendKey;
    private final PrepaidGateway prepaid;

    TokenCrashIT() throws Exception {
        headendKey = new ECKeyGenerator(Curve.P_256).keyID(KID).generate();
        prepaid = new PrepaidGateway(headendKey);
    }

    @Test
    void killNineAtEveryTokenStepNeitherLosesNorDoublesCredit() throws Exception {
        int runs = Integer.getInteger("token.crash.runs", 10);
        long seed = Long.getLong("token.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("TokenCrashIT: %d runs, seed %d%n", runs, seed);
        Pki pki = Pki.create(pkiDir);
        java.security.interfaces.ECPublicKey publicKey = headendKey.toECPublicKey();
        // a frozen meter clock: no consumption, so the credit changes only by tokens
        SimClock meterClock = SimClock.frozenAt(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        try (DlmsSimulator sim = DlmsSimulator.builder().count(1).seed(23).stateDir(stateDir).clock(meterClock)
                .configure(c -> c.currency("EUR", 2).initialCreditMinor(INITIAL_CREDIT).controlMode(2)
                        .tokenProcessingDelay(PROCESSING_DELAY)
                        .tokenVerifier(new JwsTokenVerifier(Map.of(KID, publicKey), null,
                                Clock.systemUTC(), Duration.ofMinutes(5))))
                .start();
                EmbeddedBroker broker = EmbeddedBroker.mutualTls(pki).build().start();
                HeadendSimulator headend = HeadendSimulator.connectTo(broker.uri())
                        .tls(pki.clientContext(Pki.HEADEND_CN)).start();
                GatewayProcess gateway = GatewayProcess.copyOfDistribution(GATEWAY)) {
            DlmsMeter meter = sim.meters().get(0);
            gateway.writeHeadendConfig(broker.uri(), Map.of());
            prepaid.configurePrepay(gateway, METER, meter);
            gateway.start();
            assertThat(gateway.commission(pki)).doesNotContain("NOT installed");
            PrepaidGateway.enterKeys(gateway, METER, meter);
            // read at start and then hourly, so token sessions rarely meet a metering poll
            PrepaidGateway.writeDlmsMeterConfig(gateway, METER, meter, 3600);
            headend.awaitState(GATEWAY, "online", WAIT);
            gateway.awaitCommandOutput("mg:meters", out -> out.lines()
                    .anyMatch(l -> l.startsWith(METER + " ") && l.contains("ONLINE")), WAIT);
            assertThat(meter.firmware().availableCreditMinor()).isEqualTo(INITIAL_CREDIT);

            Map<String, Long> amounts = new LinkedHashMap<>();
            Map<String, String> tokens = new LinkedHashMap<>();
            Map<Step, Integer> hit = new EnumMap<>(Step.class);
            List<String> perRun = new ArrayList<>();
            for (int run = 0; run < runs; run++) {
                String jti = "crash-" + run + "-" + Long.toHexString(random.nextLong());
                long amount = 1 + random.nextInt(5_000);
                String token = prepaid.sign(jti, meter.config().serial(), amount);
                amounts.put(jti, amount);
                tokens.put(jti, token);
                Step aim = Step.values()[random.nextInt(4)];

                meter.faults().answerDelay(ANSWER_DELAY);
                headend.sendToken(GATEWAY, token, WAIT);
                waitForStep(aim, random, meter, jti, token);
                gateway.kill();
                meter.faults().answerDelay(Duration.ZERO);
                Step step = observe(gateway, meter, jti);
                hit.merge(step, 1, Integer::sum);
                perRun.add(aim + "->" + step);

                headend.awaitState(GATEWAY, "offline", WAIT);
                gateway.start();
                headend.awaitState(GATEWAY, "online", WAIT);
                // the head-end pushes again what it has no final answer for: a known token is a duplicate
                long answersBefore = firstAnswers(headend, jti);
                headend.sendToken(GATEWAY, token, WAIT);
                GatewayUnderTest.awaitTrue("an answer to the repeated push of " + jti, WAIT,
                        () -> firstAnswers(headend, jti) > answersBefore);
                awaitStage(headend, jti, "balance");
                if (step != Step.BEFORE_LEDGER) {
                    awaitStage(headend, jti, "duplicate");
                }
                assertThat(count(headend, jti, "accepted")).as("accepted receipts of %s", jti).isLessThanOrEqualTo(1);
                assertThat(meter.firmware().availableCreditMinor()).as("credit after run %d (%s)", run, step)
                        .isEqualTo(INITIAL_CREDIT + amounts.values().stream().mapToLong(Long::longValue).sum());
            }

            // every known token pushed once more: duplicates, nothing applied
            long credit = meter.firmware().availableCreditMinor();
            for (Map.Entry<String, String> t : tokens.entrySet()) {
                long duplicates = count(headend, t.getKey(), "duplicate");
                headend.sendToken(GATEWAY, t.getValue(), WAIT);
                GatewayUnderTest.awaitTrue("a new duplicate receipt for " + t.getKey(), WAIT,
                        () -> count(headend, t.getKey(), "duplicate") > duplicates);
            }
            gateway.kill();
            assertThat(meter.firmware().availableCreditMinor()).isEqualTo(credit);

            // the ledger's accepted tokens are exactly the pushed ones, each applied by the meter
            LedgerSnapshot ledger = LedgerSnapshot.read(gateway.database(),
                    Files.createDirectories(gateway.home().resolve("snapshots")), amounts.keySet());
            long accepted = 0;
            for (String jti : amounts.keySet()) {
                LedgerEntry entry = ledger.entry(jti).orElseThrow(() -> new AssertionError("not in the ledger: " + jti));
                assertThat(entry.state()).as("state of %s", jti).isEqualTo(TokenState.DONE);
                assertThat(entry.outcome()).as("outcome of %s", jti).startsWith("meter-result 3 execution-ok");
                assertThat(entry.amountMinor()).isEqualTo(amounts.get(jti));
                accepted += entry.amountMinor();
            }
            assertThat(meter.firmware().availableCreditMinor()).as("credit = initial + sum of distinct accepted tokens")
                    .isEqualTo(INITIAL_CREDIT + accepted);
            assertThat(meter.firmware().usedTokenIds()).containsAll(amounts.keySet());
            for (String jti : amounts.keySet()) {
                assertThat(count(headend, jti, "meter-result")).as("meter results of %s", jti).isGreaterThanOrEqualTo(1);
                assertThat(headend.observations(GATEWAY, "credit/receipts").stream()
                        .filter(o -> PrepaidGateway.isReceipt(o, jti, "meter-result"))
                        .allMatch(o -> o.payload().get("detail").getAsString().equals("3 execution-ok")))
                        .as("every meter result of %s is execution-ok (never a replay rejection)", jti).isTrue();
            }
            System.out.printf("TokenCrashIT: kills per step %s; credit %d -> %d (+%d over %d tokens); runs %s%n", hit,
                    INITIAL_CREDIT, meter.firmware().availableCreditMinor(), accepted, amounts.size(),
                    String.join(", ", perRun));
            if (runs >= LONG_RUN) {
                assertThat(hit.keySet()).as("steps hit over %d runs", runs).containsAll(
                        List.of(Step.BEFORE_LEDGER, Step.AFTER_LEDGER, Step.ENTERING, Step.APPLIED_NO_RECEIPT));
            }
        }
    }

    /** Waits (boundedly) for the moment the aimed step should be under way, plus a random offset. */
    private static void waitForStep(Step aim, Random random, DlmsMeter meter, String jti, String token)
            throws InterruptedException {
        byte[] payload = token.getBytes(StandardCharsets.US_ASCII);
        switch (aim) {
            case BEFORE_LEDGER -> sleepMillis(random.nextInt(6));
            case AFTER_LEDGER -> sleepMillis(20 + random.nextInt(150));
            case ENTERING -> {
                poll("the meter to hold " + jti, () -> Arrays.equals(meter.firmware().lastToken(), payload));
                sleepMillis(random.nextInt((int) PROCESSING_DELAY.toMillis() / 2));
            }
            case APPLIED_NO_RECEIPT -> {
                poll("the meter to apply " + jti, () -> meter.firmware().usedTokenIds().contains(jti));
                sleepMillis(random.nextInt((int) ANSWER_DELAY.toMillis() / 2));
            }
            default -> throw new IllegalArgumentException("not a step to aim at: " + aim);
        }
    }

    /** Where the token was when the gateway died: its ledger state (from a copy) and the meter's used-token list. */
    private static Step observe(GatewayProcess gateway, DlmsMeter meter, String jti) throws Exception {
        LedgerSnapshot snapshot = LedgerSnapshot.read(gateway.database(),
                Files.createDirectories(gateway.home().resolve("snapshots")), List.of(jti));
        Optional<LedgerEntry> entry = snapshot.entry(jti);
        boolean applied = meter.firmware().usedTokenIds().contains(jti);
        if (entry.isEmpty()) {
            assertThat(applied).as("a token the ledger does not know was not applied").isFalse();
            return Step.BEFORE_LEDGER;
        }
        return switch (entry.get().state()) {
            case QUEUED -> {
                assertThat(applied).as("a queued token was not applied").isFalse();
                yield Step.AFTER_LEDGER;
            }
            case ENTERING -> applied ? Step.APPLIED_NO_RECEIPT : Step.ENTERING;
            case DONE -> Step.DONE;
            case EXPIRED -> throw new AssertionError("token " + jti + " expired within seconds");
        };
    }

    private static void poll(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    private static void sleepMillis(long millis) throws InterruptedException {
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static long count(HeadendSimulator headend, String jti, String stage) {
        return headend.observations(GATEWAY, "credit/receipts").stream()
                .filter(o -> PrepaidGateway.isReceipt(o, jti, stage)).count();
    }

    /** Receipts that answer a push: {@code accepted} (new) or {@code duplicate} (known). */
    private static long firstAnswers(HeadendSimulator headend, String jti) {
        return count(headend, jti, "accepted") + count(headend, jti, "duplicate");
    }

    private static void awaitStage(HeadendSimulator headend, String jti, String stage) throws InterruptedException {
        headend.awaitMessage(GATEWAY, "credit/receipts", r -> r.get("token").getAsString().equals(jti)
                && r.get("stage").getAsString().equals(stage), WAIT);
    }
}
