// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.headendsim.CommandResponse;
import org.metergate.headendsim.EmbeddedBroker;
import org.metergate.headendsim.HeadendSimulator;
import org.metergate.headendsim.Observation;
import org.metergate.headendsim.Pki;
import org.metergate.headendsim.credit.CreditTokenIssuer;
import org.metergate.headendsim.credit.IssuedToken;
import org.metergate.headendsim.credit.TokenProgress;
import org.metergate.headendsim.credit.TokenPush;
import org.metergate.headendsim.credit.TokenReceipt;
import org.metergate.headendsim.credit.TokenSigningKey;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.JwsTokenVerifier;
import org.metergate.simulator.dlms.SimClock;

import com.google.gson.JsonObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The prepaid story through the shipped gateway: a head-end on a real MQTT 5 broker (mutual TLS, the gateway
 * commissioned with its CSR) pays into a simulated DLMS meter with a token signed by this test's own head-end key.
 * The meter's credit grows by exactly the amount, the receipts arrive in order with the balance; attacks are
 * rejected with their reason and change nothing, replays (also after a gateway restart) are duplicates, the
 * low-credit threshold command and the meter's low-credit event travel the same way, a meter that ran out of
 * credit and disconnected is reconnected by the next payment, and a head-end key added and removed with
 * {@code mg:headend-key} in the running gateway decides from the next token on whether its tokens are credited.
 */
class PrepaidStoryIT {

    private static final String GATEWAY = "gw-prepaid";
    private static final String METER = "d1";
    private static final String KID = "story-headend";
    private static final long MAX_AMOUNT = 50_000;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern CSR = Pattern.compile(
            "-----BEGIN CERTIFICATE REQUEST-----.*?-----END CERTIFICATE REQUEST-----", Pattern.DOTALL);

    @TempDir
    Path pkiDir;
    @TempDir
    Path stateDir;

    private final ECKey headendKey;
    /** The head-end's next signing key: the meter trusts it from the start, the gateway only once it is added. */
    private final TokenSigningKey nextHeadendKey = TokenSigningKey.generate();
    private int tokenCounter;
    /** The meter's serial: tokens name the meter by it, the gateway maps it to d1 (meterAliases). */
    private String serial;

    PrepaidStoryIT() throws Exception {
        headendKey = new ECKeyGenerator(Curve.P_256).keyID(KID).generate();
    }

    @Test
    @Timeout(300)
    void payTokenCreditReceiptsAttacksReplaysAndLowCredit() throws Exception {
        Pki pki = Pki.create(pkiDir);
        // the meter's clock stands still, so no consumption changes the credit between two looks at it
        SimClock meterClock = SimClock.frozenAt(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        java.security.interfaces.ECPublicKey publicKey = headendKey.toECPublicKey();
        try (DlmsSimulator sim = DlmsSimulator.builder().count(1).seed(17).stateDir(stateDir).clock(meterClock)
                .configure(c -> c.currency("EUR", 2).initialCreditMinor(1000).lowCreditThresholdMinor(100).controlMode(2)
                        .tokenVerifier(new JwsTokenVerifier(Map.of(KID, publicKey,
                                nextHeadendKey.kid(), nextHeadendKey.publicKey()), null,
                                Clock.systemUTC(), Duration.ofMinutes(5))))
                .start();
                EmbeddedBroker broker = EmbeddedBroker.mutualTls(pki).build().start();
                HeadendSimulator headend = HeadendSimulator.connectTo(broker.uri())
                        .tls(pki.clientContext(Pki.HEADEND_CN)).start();
                GatewayUnderTest gateway = GatewayUnderTest.copyOfDistribution()) {
            DlmsMeter meter = sim.meters().get(0);
            serial = meter.config().serial();
            configure(gateway, broker, meter);
            gateway.start();
            commission(gateway, pki);
            // keys first, then the meter: its first poll (and the next only an hour later) finds them
            enterKeys(gateway, meter);
            writeMeterConfig(gateway, meter);
            headend.awaitState(GATEWAY, "online", WAIT);
            gateway.awaitCommandOutput("mg:meters", out -> out.lines()
                    .anyMatch(l -> l.startsWith(METER + " ") && l.contains("ONLINE")), WAIT);
            headend.awaitReadings(GATEWAY, METER, 1, WAIT);

            // 1. pay 20.00: the token reaches the meter, which gains exactly that, with receipts in order
            long before = meter.firmware().availableCreditMinor();
            Map<String, Object> payment = claims(serial, 2000);
            String paymentToken = sign(payment);
            headend.sendToken(GATEWAY, paymentToken, WAIT);
            String paymentId = (String) payment.get("jti");
            Observation balance = awaitReceipt(headend, paymentId, "balance");
            assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before + 2000);
            assertThat(balance.payload().get("balance").getAsLong()).isEqualTo(before + 2000);
            assertThat(balance.payload().get("currency").getAsString()).isEqualTo("EUR");
            assertThat(stages(headend, paymentId)).containsExactly("accepted", "entered", "meter-result", "balance");
            assertThat(receipts(headend, paymentId).get(2).payload().get("detail").getAsString())
                    .isEqualTo("3 execution-ok");
            assertThat(meter.firmware().usedTokenIds()).contains(paymentId);
            Set<String> usedAfterPayment = Set.copyOf(meter.firmware().usedTokenIds());

            // 2. attacks and bad tokens over the same path: rejected with their reason, nothing reaches the meter
            long afterPayment = meter.firmware().availableCreditMinor();
            for (Map.Entry<String, String> attack : attacks().entrySet()) {
                int rejectedBefore = rejected(headend).size();
                headend.sendToken(GATEWAY, attack.getKey(), WAIT);
                List<Observation> rejected = awaitRejections(headend, rejectedBefore + 1, attack.getValue());
                String detail = rejected.get(rejected.size() - 1).payload().get("detail").getAsString();
                assertThat(detail).as("receipt for %s", attack.getValue()).startsWith(attack.getValue() + ": ");
            }
            assertThat(meter.firmware().availableCreditMinor()).isEqualTo(afterPayment);
            assertThat(meter.firmware().usedTokenIds()).isEqualTo(usedAfterPayment);

            // 3. the gateway keeps working: the next valid token applies
            Map<String, Object> next = claims(serial, 700);
            headend.sendToken(GATEWAY, sign(next), WAIT);
            awaitReceipt(headend, (String) next.get("jti"), "balance");
            assertThat(meter.firmware().availableCreditMinor()).isEqualTo(afterPayment + 700);

            // 4. replay in the same session: a duplicate repeating the original outcome, no credit
            headend.sendToken(GATEWAY, paymentToken, WAIT);
            Observation duplicate = awaitReceipt(headend, paymentId, "duplicate");
            assertThat(duplicate.payload().get("detail").getAsString()).contains("meter-result 3 execution-ok");

            // 5. replay after a gateway restart: still a duplicate; a new token still applies once
            gateway.stop();
            gateway.start();
            headend.awaitState(GATEWAY, "online", WAIT);
            int duplicates = (int) receipts(headend, paymentId).stream()
                    .filter(o -> o.payload().get("stage").getAsString().equals("duplicate")).count();
            headend.sendToken(GATEWAY, paymentToken, WAIT);
            headend.awaitMessage(GATEWAY, "credit/receipts", r -> r.get("token").getAsString().equals(paymentId)
                    && r.get("stage").getAsString().equals("duplicate") && receipts(headend, paymentId).stream()
                            .filter(o -> o.payload().get("stage").getAsString().equals("duplicate")).count()
                            > duplicates, WAIT);
            Map<String, Object> afterRestart = claims(serial, 300);
            headend.sendToken(GATEWAY, sign(afterRestart), WAIT);
            awaitReceipt(headend, (String) afterRestart.get("jti"), "balance");
            assertThat(meter.firmware().availableCreditMinor()).isEqualTo(afterPayment + 700 + 300);
            assertThat(stages(headend, paymentId)).containsExactly("accepted", "entered", "meter-result", "balance",
                    "duplicate", "duplicate");

            // 6. the customer's low-credit threshold goes to the meter on command ...
            long credit = meter.firmware().availableCreditMinor();
            JsonObject args = new JsonObject();
            args.addProperty("meter", METER);
            args.addProperty("threshold", credit + 500);
            CommandResponse set = headend.command(GATEWAY, "set-low-credit-threshold", args, WAIT);
            assertThat(set.ok()).as(set.document().toString()).isTrue();
            assertThat(set.result().get("threshold").getAsLong()).isEqualTo(credit + 500);
            assertThat(set.result().get("balance").getAsLong()).isEqualTo(credit);
            assertThat(meter.firmware().lowCreditThresholdMinor()).isEqualTo(credit + 500);
            JsonObject unknown = new JsonObject();
            unknown.addProperty("meter", "nobody");
            unknown.addProperty("threshold", 100);
            assertThat(headend.command(GATEWAY, "set-low-credit-threshold", unknown, WAIT).errorCode())
                    .isEqualTo("unknown-meter");

            // ... and when the meter's next quarter hour is accounted, its low-credit event reaches the head-end
            meterClock.advance(Duration.ofMinutes(15));
            Observation lowCredit = headend.awaitMessage(GATEWAY, "events",
                    e -> e.get("type").getAsString().equals("low-credit") && METER.equals(e.get("meter").getAsString()),
                    WAIT);
            assertThat(lowCredit.payload().get("eventCode").getAsInt()).isEqualTo(60);

            // 7. the credit runs out: the meter disconnects and says so; the next payment reconnects it remotely
            // (control mode 2) and the reconnection is reported too
            for (int day = 0; day < 120 && meter.firmware().relayConnected(); day++) {
                meterClock.advance(Duration.ofDays(1));
                meter.firmware().advance();
            }
            assertThat(meter.firmware().relayConnected()).as("disconnected when the credit ran out").isFalse();
            headend.awaitMessage(GATEWAY, "events", e -> e.get("type").getAsString().equals("credit-exhausted"), WAIT);
            Observation disconnected = headend.awaitMessage(GATEWAY, "events",
                    e -> e.get("type").getAsString().equals("disconnected"), WAIT);
            assertThat(disconnected.payload().get("eventCode").getAsInt()).isEqualTo(73);
            long empty = meter.firmware().availableCreditMinor();
            Map<String, Object> topUp = claims(serial, 5000);
            String topUpId = (String) topUp.get("jti");
            headend.sendToken(GATEWAY, sign(topUp), WAIT);
            Observation reconnected = headend.awaitMessage(GATEWAY, "events",
                    e -> e.get("type").getAsString().equals("reconnected"), WAIT);
            assertThat(reconnected.payload().get("eventCode").getAsInt()).isEqualTo(71);
            assertThat(meter.firmware().relayConnected()).isTrue();
            assertThat(meter.firmware().availableCreditMinor()).isEqualTo(empty + 5000);
            assertThat(stages(headend, topUpId)).containsExactly("accepted", "entered", "meter-result", "balance");

            // 8. the head-end's next key: refused while the gateway does not know it, credited exactly once it is
            // added in the running gateway, refused again once removed; a refused token changes nothing
            headendKeyAddedAndRemovedInTheRunningGateway(gateway, headend, meter);
        }
    }

    private void headendKeyAddedAndRemovedInTheRunningGateway(GatewayUnderTest gateway, HeadendSimulator headend,
            DlmsMeter meter) throws Exception {
        CreditTokenIssuer issuer = new CreditTokenIssuer(nextHeadendKey, Clock.systemUTC(), Duration.ofHours(1));
        TokenPush push = new TokenPush(headend);
        String kid = nextHeadendKey.kid();
        long credit = meter.firmware().availableCreditMinor();
        Set<String> used = Set.copyOf(meter.firmware().usedTokenIds());

        TokenProgress notYetKnown = push.push(GATEWAY, issuer.credit(serial, 1200, "EUR", "app"), r -> { }, WAIT);
        assertRefusedAsUnknownKey(notYetKnown, kid);
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(credit);
        assertThat(meter.firmware().usedTokenIds()).isEqualTo(used);

        Path publicKey = Files.writeString(gateway.home().resolve("next-headend-key.pem"),
                nextHeadendKey.publicKeyPem());
        assertThat(gateway.execute("mg:headend-key add " + kid + " " + publicKey))
                .startsWith("head-end key '" + kid + "' added");
        assertThat(gateway.execute("mg:headend-key list")).contains(kid + "  P-256  sha256:");
        IssuedToken signedWithAddedKey = issuer.credit(serial, 1200, "EUR", "app");
        TokenProgress credited = push.push(GATEWAY, signedWithAddedKey, r -> { }, WAIT);
        assertThat(credited.outcome()).as("receipts %s", credited.stages()).isEqualTo(TokenProgress.Outcome.CREDITED);
        assertThat(credited.stages()).containsExactly("accepted", "entered", "meter-result", "balance");
        assertThat(credited.balance().orElseThrow().balanceMinor()).isEqualTo(credit + 1200);
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(credit + 1200);
        assertThat(meter.firmware().usedTokenIds()).contains(signedWithAddedKey.id());

        assertThat(gateway.execute("mg:headend-key remove " + kid)).startsWith("head-end key '" + kid + "' removed");
        Set<String> usedWithKey = Set.copyOf(meter.firmware().usedTokenIds());
        TokenProgress removed = push.push(GATEWAY, issuer.credit(serial, 1200, "EUR", "app"), r -> { }, WAIT);
        assertRefusedAsUnknownKey(removed, kid);
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(credit + 1200);
        assertThat(meter.firmware().usedTokenIds()).isEqualTo(usedWithKey);
    }

    private static void assertRefusedAsUnknownKey(TokenProgress progress, String kid) {
        assertThat(progress.outcome()).as("receipts %s", progress.stages()).isEqualTo(TokenProgress.Outcome.REJECTED);
        assertThat(progress.stages()).containsExactly("rejected");
        TokenReceipt rejected = progress.receipts().get(0);
        assertThat(rejected.detail()).startsWith("unknown-key: kid '" + kid + "' is not a known head-end key");
    }

    private void configure(GatewayUnderTest gateway, EmbeddedBroker broker, DlmsMeter meter) throws Exception {
        gateway.writeConf("org.metergate.security.cfg", "gatewayId=" + GATEWAY + "\n");
        gateway.writeConf("org.metergate.headend.cfg", "brokerUri=" + broker.uri() + "\n"
                + "batchMaxAgeMs=200\nreconnectInitialSeconds=1\nreconnectMaxSeconds=2\nconnectTimeoutSeconds=5\n"
                + "keepAliveSeconds=10\noutboxPollMs=50\nwillDelaySeconds=1\n");
        gateway.writeConf("org.metergate.prepay.cfg", "headendPublicKeys=" + KID + "=-----BEGIN PUBLIC KEY-----"
                + Base64.getEncoder().encodeToString(headendKey.toECPublicKey().getEncoded())
                + "-----END PUBLIC KEY-----\n"
                + "currency=EUR\nmaxAmountMinor=" + MAX_AMOUNT + "\nclockSkewSeconds=60\n"
                + "retryInitialSeconds=1\nretryMaxSeconds=2\nstatusPollMillis=100\neventPollSeconds=1\n"
                + "meterAliases=" + meter.config().serial() + "=" + METER + "\n");
    }

    private static void writeMeterConfig(GatewayUnderTest gateway, DlmsMeter meter) throws Exception {
        // read once at start and then hourly, so token sessions rarely meet a metering poll
        gateway.writeConf("org.metergate.dlms.meter-" + METER + ".cfg", "meterId=" + METER + "\n"
                + "link=tcp://127.0.0.1:" + meter.wrapperPort() + "\n"
                + "authentication=HLS5_GMAC\n"
                + "expectedSystemTitle=" + meter.config().systemTitleHex() + "\n"
                + "pollIntervalSeconds=3600\nresponseTimeoutMs=2000\nretries=1\n"
                + "backoffInitialSeconds=1\nbackoffMaxSeconds=1\n");
    }

    private static void commission(GatewayUnderTest gateway, Pki pki) throws Exception {
        String out = gateway.awaitCommandOutput("mg:csr", s -> CSR.matcher(s).find(), WAIT);
        Matcher m = CSR.matcher(out);
        assertThat(m.find()).isTrue();
        Path chain = gateway.home().resolve("chain.pem");
        Path ca = gateway.home().resolve("ca.pem");
        Files.writeString(chain, pki.signCsr(m.group() + "\n"));
        Files.writeString(ca, Files.readString(pki.caPem()));
        assertThat(gateway.execute("mg:install-cert " + chain + " " + ca)).doesNotContain("NOT installed");
    }

    private static void enterKeys(GatewayUnderTest gateway, DlmsMeter meter) throws Exception {
        HexFormat hex = HexFormat.of();
        assertThat(gateway.execute("mg:dlms-key " + METER + " authentication "
                + hex.formatHex(meter.config().authenticationKey()))).contains("Stored the authentication key");
        assertThat(gateway.execute("mg:dlms-key " + METER + " encryption "
                + hex.formatHex(meter.config().encryptionKey()))).contains("Stored the encryption key");
    }

    /** Claims of a valid credit token, valid for an hour. */
    private Map<String, Object> claims(String meter, Object amount) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("jti", "story-" + (++tokenCounter) + "-" + System.nanoTime());
        c.put("meter", meter);
        c.put("amount", amount);
        c.put("currency", "EUR");
        c.put("kind", "credit");
        c.put("iat", now);
        c.put("exp", now + 3600);
        return c;
    }

    private String sign(Map<String, Object> claims) throws Exception {
        return sign(claims, headendKey, KID);
    }

    private static String sign(Map<String, Object> claims, ECKey key, String kid) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(),
                new Payload(claims));
        jws.sign(new ECDSASigner(key));
        return jws.serialize();
    }

    /** Each attack (JWS text as sent on credit/tokens) with the reason its rejection must start with. */
    private Map<String, String> attacks() throws Exception {
        long now = Instant.now().getEpochSecond();
        Map<String, String> a = new LinkedHashMap<>();
        a.put(sign(claims(serial, 1000), new ECKeyGenerator(Curve.P_256).generate(), KID), "bad-signature");
        a.put(sign(claims(serial, 1000), headendKey, "someone-else"), "unknown-key");
        a.put(Base64URL.encode("{\"alg\":\"none\",\"kid\":\"" + KID + "\"}") + "."
                + Base64URL.encode(JSONObjectUtils.toJSONString(claims(serial, 1000))) + ".", "algorithm-not-allowed");
        JWSObject hmac = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(KID).build(),
                new Payload(claims(serial, 1000)));
        hmac.sign(new MACSigner(new byte[32]));
        a.put(hmac.serialize(), "algorithm-not-allowed");
        Map<String, Object> expired = claims(serial, 1000);
        expired.put("iat", now - 7200);
        expired.put("exp", now - 3600);
        a.put(sign(expired), "expired");
        Map<String, Object> early = claims(serial, 1000);
        early.put("iat", now + 3600);
        early.put("nbf", now + 3600);
        early.put("exp", now + 7200);
        a.put(sign(early), "not-yet-valid");
        a.put(sign(claims("not-our-meter", 1000)), "unknown-meter");
        a.put(sign(claims(serial, 0)), "invalid-amount");
        a.put(sign(claims(serial, -500)), "invalid-amount");
        a.put(sign(claims(serial, MAX_AMOUNT + 1)), "amount-over-limit");
        a.put(sign(claims(serial, new BigInteger("99999999999999999999999"))), "invalid-amount");
        JWSObject notJson = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(KID).build(),
                new Payload("{\"jti\": \"broken\", \"meter\": "));
        notJson.sign(new ECDSASigner(headendKey));
        a.put(notJson.serialize(), "malformed");
        a.put("{\"jti\":\"no-jws\",\"amount\":", "malformed");
        a.put("x".repeat(5000) + "." + "y".repeat(100) + "." + "z".repeat(100), "oversized");
        // the meter's serial is not one of our meter ids: only the configured alias maps it (to d1); any other
        // serial is a meter of someone else
        a.put(sign(claims(serial + "0", 1000)), "unknown-meter");
        return a;
    }

    private static List<Observation> receipts(HeadendSimulator headend, String tokenId) {
        return headend.observations(GATEWAY, "credit/receipts").stream()
                .filter(o -> o.payload() != null && tokenId.equals(o.payload().get("token").getAsString())).toList();
    }

    private static List<String> stages(HeadendSimulator headend, String tokenId) {
        return receipts(headend, tokenId).stream().map(o -> o.payload().get("stage").getAsString()).toList();
    }

    private static List<Observation> rejected(HeadendSimulator headend) {
        return headend.observations(GATEWAY, "credit/receipts").stream()
                .filter(o -> o.payload() != null && o.payload().get("stage").getAsString().equals("rejected")).toList();
    }

    private static Observation awaitReceipt(HeadendSimulator headend, String tokenId, String stage)
            throws InterruptedException {
        return headend.awaitMessage(GATEWAY, "credit/receipts", r -> r.get("token").getAsString().equals(tokenId)
                && r.get("stage").getAsString().equals(stage), WAIT);
    }

    private static List<Observation> awaitRejections(HeadendSimulator headend, int count, String what)
            throws InterruptedException {
        GatewayUnderTest.awaitTrue(count + " rejected receipts (" + what + ")", WAIT,
                () -> rejected(headend).size() >= count);
        return rejected(headend);
    }
}
