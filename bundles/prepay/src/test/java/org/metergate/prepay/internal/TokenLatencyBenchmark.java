// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.credit.Receipt;
import org.metergate.api.credit.ReceiptStage;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.dlms.internal.PacedSerialLine;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.JwsTokenVerifier;
import org.metergate.simulator.dlms.SimClock;
import org.metergate.store.embedded.Stores;

/**
 * Credit token latency, from the token's hand-off to the prepay engine (what the head-end link does with a token
 * published on {@code credit/tokens}) to the {@code balance} receipt in the outbox, over HDLC at 9600 baud, divided
 * by the wire-time limit of the DLMS exchanges for that token. The real DLMS driver talks to the simulated meter
 * through bundles/dlms's {@code PacedSerialLine}: every byte takes 10 bits (8N1) at 9600 baud per direction and
 * every meter answer waits at least the minimum reaction time after the request's last byte. The limit is every byte
 * that crossed the line between the hand-off and the receipt (association, ACTION enter, status polls, reads; all
 * HDLC frames including RR, flags and FCS) at 10 bits / 9600 baud, plus one minimum reaction time per turn. What the
 * session does after the receipt (the meter's event log is read, then the release) is counted separately, as it
 * follows the receipt.
 *
 * <p>Not part of the test suite (surefire runs *Test classes only). Run:
 * {@code mvn -B -q -o -pl bundles/prepay test -Dtest=TokenLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("benchmark")
class TokenLatencyBenchmark {

    private static final int WARM_UP = 5;
    private static final int TOKENS = 60;
    private static final int BAUD = 9600;
    private static final int BITS_PER_BYTE = 10;
    /** The same minimum reaction time as the profile benchmark of bundles/dlms. */
    private static final long MIN_REACTION_MS = 20;
    private static final Instant SIM_TIME = Instant.parse("2026-03-02T10:07:00Z");
    /** A line with nothing on it for this long has finished the previous token's session. */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(400);

    @TempDir
    Path dataDir;
    @TempDir
    Path stateDir;

    @Test
    void tokenToBalanceReceiptAt9600BaudHdlc() throws Exception {
        TestTokens tokens = new TestTokens();
        TokenLedger ledger = Stores.memoryTokenLedger();
        ListOutbox outbox = new ListOutbox();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (DlmsSimulator sim = DlmsSimulator.builder().count(1).hdlc(true).seed(5).stateDir(stateDir)
                .clock(SimClock.frozenAt(SIM_TIME))
                .configure(c -> c.currency("EUR", 2).initialCreditMinor(1000)
                        .tokenVerifier(new JwsTokenVerifier(Map.of(TestTokens.KID, tokens.publicKey()), null,
                                Clock.systemUTC(), Duration.ofMinutes(5))))
                .start();
                PacedSerialLine line = new PacedSerialLine(sim.meters().get(0).hdlcPort(), BAUD, MIN_REACTION_MS)) {
            DlmsMeter meter = sim.meters().get(0);
            String serial = meter.config().serial();
            CosemMeter driver = org.metergate.dlms.embedded.DlmsDrivers.tcp(serial, line.port(),
                    meter.config().authenticationKey(), meter.config().encryptionKey(), dataDir,
                    Map.of("tcpFraming", "HDLC", "responseTimeoutMs", 10_000, "retries", 0));
            PrepaySettings settings = new PrepaySettings(Map.of(TestTokens.KID, tokens.publicKey()), "EUR", 50_000,
                    Duration.ofMinutes(5), Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(2),
                    Duration.ofMillis(500), Duration.ofSeconds(60));
            CreditEngine engine = new CreditEngine(settings, ledger, new ReceiptSink(ledger, outbox, PrepayLog.NONE),
                    id -> id.equals(serial) ? Optional.of(driver) : Optional.empty(), Clock.systemUTC(), scheduler,
                    Thread::sleep, PrepayLog.NONE);
            engine.start();

            long[] nanos = new long[TOKENS];
            double[] limits = new double[TOKENS];
            long bytes = 0;
            long turns = 0;
            long afterBytes = 0;
            long afterTurns = 0;
            long expectedCredit = meter.firmware().availableCreditMinor();
            for (int i = -WARM_UP; i < TOKENS; i++) {
                long amount = 100 + i + WARM_UP;
                Map<String, Object> claims = tokens.claims(serial, amount);
                String jti = (String) claims.get("jti");
                String jws = tokens.sign(claims);
                PacedSerialLine.Traffic before = awaitQuietLine(line);
                if (i > -WARM_UP) {
                    afterBytes += before.bytes();
                    afterTurns += before.turns();
                }
                long start = System.nanoTime();
                Receipt first = engine.submit(jws);
                if (first.stage() != ReceiptStage.ACCEPTED) {
                    throw new AssertionError("token not accepted: " + first);
                }
                awaitBalanceReceipt(outbox, jti);
                long took = System.nanoTime() - start;
                PacedSerialLine.Traffic traffic = line.resetTraffic();
                expectedCredit += amount;
                if (i >= 0) {
                    nanos[i] = took;
                    limits[i] = limit(traffic);
                    bytes += traffic.bytes();
                    turns += traffic.turns();
                }
            }
            PacedSerialLine.Traffic last = awaitQuietLine(line);
            afterBytes += last.bytes();
            afterTurns += last.turns();
            if (meter.firmware().availableCreditMinor() != expectedCredit) {
                throw new AssertionError("meter credit " + meter.firmware().availableCreditMinor() + ", expected "
                        + expectedCredit);
            }

            double[] ratios = new double[TOKENS];
            for (int i = 0; i < TOKENS; i++) {
                ratios[i] = nanos[i] / 1e9 / limits[i];
            }
            long[] sortedNanos = nanos.clone();
            Arrays.sort(sortedNanos);
            Arrays.sort(ratios);
            double[] sortedLimits = limits.clone();
            Arrays.sort(sortedLimits);
            int p99 = (int) Math.ceil(TOKENS * 0.99) - 1;
            String report = String.format(Locale.ROOT, "tokens %d (after %d warm-up), per token before the balance"
                    + " receipt: %.0f bytes in %.1f turns, wire-time limit median %.3f s; after the receipt (event log read, release):"
                    + " %.0f bytes in %.1f turns; latency median %.3f s, p99 %.3f s, max %.3f s; ratio to the limit"
                    + " median %.3f, p99 %.3f, max %.3f%n", TOKENS, WARM_UP, bytes / (double) TOKENS,
                    turns / (double) TOKENS, sortedLimits[TOKENS / 2], afterBytes / (double) TOKENS,
                    afterTurns / (double) TOKENS, sortedNanos[TOKENS / 2] / 1e9, sortedNanos[p99] / 1e9,
                    sortedNanos[TOKENS - 1] / 1e9, ratios[TOKENS / 2], ratios[p99], ratios[TOKENS - 1]);
            System.out.print(report);
            Path out = Path.of("target/benchmarks");
            Files.createDirectories(out);
            Files.writeString(out.resolve("prepay-token-latency.txt"), report, StandardCharsets.UTF_8);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static double limit(PacedSerialLine.Traffic traffic) {
        return traffic.bytes() * BITS_PER_BYTE / (double) BAUD + traffic.turns() * MIN_REACTION_MS / 1000.0;
    }

    /** Waits until nothing crossed the line for a while; returns (and resets) what crossed meanwhile. */
    private static PacedSerialLine.Traffic awaitQuietLine(PacedSerialLine line) throws InterruptedException {
        long bytes = 0;
        long turns = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(QUIET_NANOS));
            PacedSerialLine.Traffic t = line.resetTraffic();
            bytes += t.bytes();
            turns += t.turns();
            if (t.bytes() == 0) {
                return new PacedSerialLine.Traffic(bytes, 0, 0, 0, turns);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the line never went quiet");
            }
        }
    }

    private static void awaitBalanceReceipt(ListOutbox outbox, String jti) {
        Pattern balance = Pattern.compile("\"stage\"\\s*:\\s*\"balance\"");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int seen = 0;
        while (true) {
            var all = outbox.all();
            for (int i = seen; i < all.size(); i++) {
                String payload = all.get(i).payload();
                if (payload.contains("\"" + jti + "\"") && balance.matcher(payload).find()) {
                    return;
                }
            }
            seen = all.size();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no balance receipt for " + jti);
            }
            LockSupport.parkNanos(100_000);
        }
    }
}
