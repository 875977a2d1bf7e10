// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * Fuzzes the credit-token parser and verifier with what could arrive on the token topic: any text as the
 * compact token, and payloads of any content properly signed by the configured head-end key (so the claim
 * checks are reached, not only the signature check). {@link TokenChecker} either accepts a token whose
 * claims are within the configuration or rejects it with a {@link TokenRejection}; nothing else may come out.
 * Saved inputs: src/test/resources/org/metergate/prepay/internal/TokenFuzzTargetsInputs/token/.
 */
class TokenFuzzTargets {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final long MAX_AMOUNT = 10_000;

    private final ECKey key = generateKey();
    private final TokenChecker checker = new TokenChecker(new PrepaySettings(Map.of(TestTokens.KID, publicKey()),
            "EUR", MAX_AMOUNT, Duration.ofSeconds(60), Map.of("10000001", "m1"), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofSeconds(1)), "m1"::equals,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @FuzzTest(maxDuration = "10s")
    void token(FuzzedDataProvider data) throws JOSEException {
        boolean signed = data.consumeBoolean();
        // tokens arrive as UTF-8 bytes on the token topic
        String text = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
        String compact = signed ? sign(text) : text;
        VerifiedToken token;
        try {
            token = checker.verify(compact);
        } catch (TokenRejection rejected) {
            assertThat(rejected.getMessage()).isNotBlank();
            return;
        }
        assertThat(signed).as("only a token signed with the head-end key is accepted").isTrue();
        assertThat(token.meterId()).isEqualTo("m1");
        assertThat(token.currency()).isEqualTo("EUR");
        assertThat(token.amountMinor()).isBetween(token.kind().equals(VerifiedToken.STS) ? 0L : 1L, MAX_AMOUNT);
        assertThat(token.expiresAt()).isAfter(token.issuedAt());
    }

    private String sign(String payload) throws JOSEException {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(TestTokens.KID).build(),
                new Payload(payload));
        jws.sign(new ECDSASigner(key));
        return jws.serialize();
    }

    private static ECKey generateKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(TestTokens.KID).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private java.security.interfaces.ECPublicKey publicKey() {
        try {
            return key.toECPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
