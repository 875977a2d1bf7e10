// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.metergate.simulator.dlms.CreditToken;
import org.metergate.simulator.dlms.JwsTokenVerifier;
import org.metergate.simulator.dlms.TokenRejectedException;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;

/** Issued tokens as the gateway's library (nimbus) and the meter's firmware (the DLMS simulator) read them. */
class CreditTokenIssuerTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private final TokenSigningKey key = TokenSigningKey.generate();
    private final CreditTokenIssuer issuer = new CreditTokenIssuer(key, Clock.fixed(NOW, ZoneOffset.UTC),
            Duration.ofHours(24));

    @Test
    void aCreditTokenIsAnEs256JwsWithTheKeysKidAndTheClaimsTheGatewayChecks() throws Exception {
        IssuedToken t = issuer.credit("10000001", 2_000, "EUR", "app");

        JWSObject jws = JWSObject.parse(t.compact());
        assertThat(jws.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jws.getHeader().getKeyID()).isEqualTo(key.kid()).startsWith("headend-");
        assertThat(jws.verify(new ECDSAVerifier(key.publicKey()))).isTrue();
        Map<String, Object> claims = jws.getPayload().toJSONObject();
        assertThat(claims).containsEntry("jti", t.id()).containsEntry("meter", "10000001")
                .containsEntry("kind", "credit").containsEntry("amount", 2_000L).containsEntry("currency", "EUR")
                .containsEntry("channel", "app").containsEntry("iat", NOW.getEpochSecond())
                .containsEntry("exp", NOW.plus(Duration.ofHours(24)).getEpochSecond()).doesNotContainKey("sts");
        assertThat(t.id()).matches("[A-Za-z0-9_.:-]{1,64}");
        assertThat(t.describe()).isEqualTo("credit 20.00 EUR for meter 10000001 (channel app)");
    }

    @Test
    void everyTokenHasItsOwnId() {
        assertThat(issuer.credit("m1", 1, "EUR", "app").id()).isNotEqualTo(issuer.credit("m1", 1, "EUR", "app").id());
    }

    @Test
    void emergencyAndStsTokens() throws Exception {
        Map<String, Object> emergency = JWSObject.parse(issuer.emergency("m1", 500, "EUR", "chat").compact())
                .getPayload().toJSONObject();
        assertThat(emergency).containsEntry("kind", "emergency").containsEntry("amount", 500L);

        IssuedToken sts = issuer.sts("m1", "1234 5678 9012-3456 7890", "EUR", "shop");
        Map<String, Object> claims = JWSObject.parse(sts.compact()).getPayload().toJSONObject();
        assertThat(claims).containsEntry("kind", "sts").containsEntry("sts", "12345678901234567890")
                .doesNotContainKey("amount");
        assertThat(sts.amountMinor()).isNull();
    }

    @Test
    void theMeterFirmwareAcceptsTheTokenForItselfOnly() throws Exception {
        JwsTokenVerifier meter = new JwsTokenVerifier(Map.of(key.kid(), key.publicKey()), null,
                Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC), Duration.ofMinutes(5));
        IssuedToken t = issuer.credit("10000001", 2_000, "EUR", "wallet");

        CreditToken credit = meter.verify(t.compact().getBytes(StandardCharsets.US_ASCII), "10000001");
        assertThat(credit.tokenId()).isEqualTo(t.id());
        assertThat(credit.amountMinor()).isEqualTo(2_000);
        assertThatThrownBy(() -> meter.verify(t.compact().getBytes(StandardCharsets.US_ASCII), "10000002"))
                .isInstanceOf(TokenRejectedException.class).hasMessageContaining("token is for meter 10000001");
    }

    @Test
    void badInputIsRefusedWithTheReason() {
        assertThatThrownBy(() -> issuer.credit("m 1", 100, "EUR", "app")).hasMessageContaining("meter 'm 1'");
        assertThatThrownBy(() -> issuer.credit("m1", 0, "EUR", "app")).hasMessageContaining("must be 1..");
        assertThatThrownBy(() -> issuer.credit("m1", 100, "EUR", "a b")).hasMessageContaining("channel 'a b'");
        assertThatThrownBy(() -> issuer.credit("m1", 100, "euro", "app")).hasMessageContaining("ISO 4217");
        assertThatThrownBy(() -> issuer.sts("m1", "1234", "EUR", "app")).hasMessageContaining("exactly 20 digits");
        assertThatThrownBy(() -> new CreditTokenIssuer(key, Clock.systemUTC(), Duration.ZERO))
                .hasMessageContaining("validity must be positive");
    }
}
