// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/** The meter's own check of signed credit tokens and the token gateway status each failure maps to. */
class JwsTokenVerifierTest {

    private static final String SERIAL = "10000001";
    private static final String SYSTEM_TITLE = "4D47530000989681";

    private final ECKey headend = new ECKeyGenerator(Curve.P_256).keyID("he").generate();
    private final JwsTokenVerifier verifier = new JwsTokenVerifier(Map.of("he", headend.toECPublicKey()),
            SYSTEM_TITLE, Clock.systemUTC(), Duration.ofSeconds(30));

    JwsTokenVerifierTest() throws Exception {
    }

    private static Map<String, Object> claims(String meter, long amount) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("jti", "tok-1");
        c.put("meter", meter);
        c.put("amount", amount);
        c.put("currency", "EUR");
        c.put("kind", "credit");
        c.put("iat", now);
        c.put("exp", now + 600);
        return c;
    }

    private static byte[] sign(Map<String, Object> claims, ECKey key, String kid) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(),
                new Payload(claims));
        jws.sign(new ECDSASigner(key));
        return jws.serialize().getBytes(StandardCharsets.US_ASCII);
    }

    private TokenStatus statusOf(byte[] token) {
        try {
            verifier.verify(token, SERIAL);
            return TokenStatus.EXECUTION_OK;
        } catch (TokenRejectedException e) {
            return e.status();
        }
    }

    @Test
    void aTokenSignedByTheHeadEndForThisMeterIsCredit() throws Exception {
        CreditToken credit = verifier.verify(sign(claims(SERIAL, 2000), headend, "he"), SERIAL);
        assertThat(credit.tokenId()).isEqualTo("tok-1");
        assertThat(credit.amountMinor()).isEqualTo(2000);
        assertThat(verifier.verify(sign(claims(SYSTEM_TITLE, 5), headend, "he"), SERIAL).amountMinor()).isEqualTo(5);
    }

    @Test
    void forgedUnknownKeyAndHmacTokensFailAuthentication() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        assertThat(statusOf(sign(claims(SERIAL, 2000), other, "he"))).isEqualTo(TokenStatus.AUTHENTICATION_FAIL);
        assertThat(statusOf(sign(claims(SERIAL, 2000), headend, "nobody"))).isEqualTo(TokenStatus.AUTHENTICATION_FAIL);
        JWSObject hmac = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("he").build(),
                new Payload(claims(SERIAL, 2000)));
        hmac.sign(new MACSigner(new byte[32]));
        assertThat(statusOf(hmac.serialize().getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(TokenStatus.AUTHENTICATION_FAIL);
    }

    @Test
    void wrongMeterExpiredAndBadAmountsFailValidation() throws Exception {
        assertThat(statusOf(sign(claims("10000002", 2000), headend, "he"))).isEqualTo(TokenStatus.VALIDATION_FAIL);
        Map<String, Object> expired = claims(SERIAL, 2000);
        expired.put("exp", Instant.now().getEpochSecond() - 120);
        assertThat(statusOf(sign(expired, headend, "he"))).isEqualTo(TokenStatus.VALIDATION_FAIL);
        assertThat(statusOf(sign(claims(SERIAL, 0), headend, "he"))).isEqualTo(TokenStatus.VALIDATION_FAIL);
    }

    @Test
    void somethingThatIsNoSignedTokenIsAFormatFailure() {
        assertThat(statusOf("12345678901234567890".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(TokenStatus.FORMAT_FAIL);
        assertThatThrownBy(() -> verifier.verify("a.b.c".getBytes(StandardCharsets.US_ASCII), SERIAL))
                .isInstanceOf(TokenRejectedException.class);
    }

    @Test
    void aReplayIsRefusedByTheMetersPersistentUsedTokenList(@TempDir Path dir) throws Exception {
        // the used-token list lives in the meter's state file, so a restarted meter still refuses it
        DlmsMeterConfig config = DlmsMeterConfig.builder(SERIAL).tokenVerifier(verifier).build();
        byte[] token = sign(claims(SERIAL, 300), headend, "he");
        MeterFirmware first = MeterFirmware.open(config, SimClock.frozenAt(Instant.parse("2026-03-02T10:00:00Z")),
                dir.resolve("m.properties"));
        assertThat(first.enterToken(token)).isEqualTo(TokenStatus.EXECUTION_OK);
        first.flush();
        MeterFirmware restarted = MeterFirmware.open(config,
                SimClock.frozenAt(Instant.parse("2026-03-02T10:00:00Z")), dir.resolve("m.properties"));
        assertThat(restarted.enterToken(token)).isEqualTo(TokenStatus.VALIDATION_FAIL);
        assertThat(restarted.lastTokenDescription()).contains("already used");
    }

    @Test
    void aPemPublicKeyIsReadAndGarbageIsExplained() throws Exception {
        String pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                headend.toECPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        assertThat(JwsTokenVerifier.readPublicKey(pem).getEncoded()).isEqualTo(headend.toECPublicKey().getEncoded());
        assertThatThrownBy(() -> JwsTokenVerifier.readPublicKey("hello")).hasMessageContaining("PEM");
    }
}
