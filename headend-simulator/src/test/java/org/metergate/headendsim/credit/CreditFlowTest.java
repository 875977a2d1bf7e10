// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.headendsim.EmbeddedBroker;
import org.metergate.headendsim.HeadendSimulator;
import org.metergate.headendsim.Pki;
import org.metergate.headendsim.TestCreditGateway;

/** The head-end pushes tokens through the embedded broker (mutual TLS) and follows the receipts a gateway sends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CreditFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static Pki pki;
    static EmbeddedBroker broker;
    static TokenSigningKey key;

    @BeforeAll
    static void start() throws Exception {
        pki = Pki.create(dir.resolve("pki"));
        broker = EmbeddedBroker.mutualTls(pki).build().start();
        key = TokenSigningKey.openOrCreate(pki.dir());
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static HeadendSimulator headend() throws Exception {
        return HeadendSimulator.connectTo(broker.uri()).tls(pki.clientContext(Pki.HEADEND_CN)).start();
    }

    @Test
    void aPaymentIsPushedAndItsReceiptsAndTheNewBalanceComeBackInOrder() throws Exception {
        CreditTokenIssuer issuer = new CreditTokenIssuer(key, Clock.systemUTC(), Duration.ofHours(1));
        try (TestCreditGateway gw = TestCreditGateway.start(broker.uri(), pki.clientContext("gw-pay"), "gw-pay",
                key.publicKey(), 2_500); HeadendSimulator headend = headend()) {
            IssuedToken token = issuer.credit("10000001", 2_000, "EUR", "app");
            List<String> shown = new ArrayList<>();

            TokenProgress p = new TokenPush(headend).push("gw-pay", token, r -> shown.add(r.describe()), WAIT);

            assertThat(p.outcome()).isEqualTo(TokenProgress.Outcome.CREDITED);
            assertThat(p.stages()).containsExactly("accepted", "entered", "meter-result", "balance");
            assertThat(p.balance()).get().extracting(TokenReceipt::balanceMinor).isEqualTo(4_500L);
            assertThat(shown).containsExactly("accepted: credit 2000 EUR, queued for meter 10000001",
                    "entered: entered into the meter's token gateway", "meter-result: 3 execution-ok",
                    "balance: 45.00 EUR");

            // the same token again: the gateway answers duplicate and the balance stays
            TokenProgress again = new TokenPush(headend).push("gw-pay", token, r -> { }, WAIT);
            assertThat(again.outcome()).isEqualTo(TokenProgress.Outcome.DUPLICATE);
            assertThat(again.stages()).containsExactly("duplicate");
        }
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRejectedByTheGateway() throws Exception {
        CreditTokenIssuer stranger = new CreditTokenIssuer(TokenSigningKey.generate(), Clock.systemUTC(),
                Duration.ofHours(1));
        try (TestCreditGateway gw = TestCreditGateway.start(broker.uri(), pki.clientContext("gw-forged"), "gw-forged",
                key.publicKey(), 0); HeadendSimulator headend = headend()) {
            TokenProgress p = new TokenPush(headend).push("gw-forged", stranger.credit("m1", 100, "EUR", "shop"),
                    r -> { }, WAIT);

            assertThat(p.outcome()).isEqualTo(TokenProgress.Outcome.REJECTED);
            assertThat(p.receipts()).singleElement().extracting(TokenReceipt::detail).asString()
                    .startsWith("bad-signature");
        }
    }

    @Test
    void withoutAGatewayTheProgressStaysOpenWhenTheTimeIsUp() throws Exception {
        CreditTokenIssuer issuer = new CreditTokenIssuer(key, Clock.systemUTC(), Duration.ofHours(1));
        try (HeadendSimulator headend = headend()) {
            TokenProgress p = new TokenPush(headend).push("gw-absent", issuer.credit("m1", 100, "EUR", "app"),
                    r -> { }, Duration.ofMillis(300));

            assertThat(p.outcome()).isEqualTo(TokenProgress.Outcome.IN_PROGRESS);
            assertThat(p.receipts()).isEmpty();
        }
    }

    @Test
    void autoRechargeTopsUpOnceThroughTheBrokerWhenTheBalanceFallsUnderTheLevel() throws Exception {
        CreditTokenIssuer issuer = new CreditTokenIssuer(key, Clock.systemUTC(), Duration.ofHours(1));
        CustomerRule alice = new CustomerRule("alice", "gw-auto", "d1", "10000001", "EUR", List.of(), 300L, 2_000L,
                "auto-recharge");
        BalanceWatcher watcher = new BalanceWatcher(List.of(alice), issuer, Clock.systemUTC(),
                BalanceWatcher.DEFAULT_BALANCE_OBIS);
        try (TestCreditGateway gw = TestCreditGateway.start(broker.uri(), pki.clientContext("gw-auto"), "gw-auto",
                key.publicKey(), 250); HeadendSimulator headend = headend()) {
            // the gateway reports a balance under the level; the watcher decides, the head-end sends
            gw.receipt("earlier", "d1", "balance", null, 250L, java.util.Map.of("currency", "EUR"));
            var receipt = headend.awaitMessage("gw-auto", "credit/receipts", d -> "earlier".equals(
                    d.get("token").getAsString()), WAIT);
            List<BalanceWatcher.Action> actions = watcher.observe(receipt);
            assertThat(actions).singleElement().isInstanceOf(BalanceWatcher.AutoRecharge.class);
            IssuedToken topUp = ((BalanceWatcher.AutoRecharge) actions.get(0)).token();
            assertThat(topUp.meter()).isEqualTo("10000001");

            TokenProgress p = new TokenPush(headend).push("gw-auto", topUp, r -> { }, WAIT);
            assertThat(p.outcome()).isEqualTo(TokenProgress.Outcome.CREDITED);
            List<BalanceWatcher.Action> after = new ArrayList<>();
            headend.observations("gw-auto", "credit/receipts").forEach(o -> after.addAll(watcher.observe(o)));
            // the receipts (seen again, and the new balance 22.50) start nothing more
            assertThat(after).isEmpty();
            assertThat(p.balance()).get().extracting(TokenReceipt::balanceMinor).isEqualTo(2_250L);
        }
    }
}
