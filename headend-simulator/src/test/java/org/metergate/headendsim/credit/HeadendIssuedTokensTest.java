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
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.metergate.prepay.embedded.TokenVerifier;

/**
 * The head-end simulator's tokens through the gateway's own verifier (bundles/prepay, through its embedding
 * factory), configured with the line {@code signing-key} prints for {@code conf/org.metergate.prepay.cfg}.
 */
class HeadendIssuedTokensTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private final TokenSigningKey key = TokenSigningKey.generate();
    private final CreditTokenIssuer issuer = new CreditTokenIssuer(key, Clock.fixed(NOW, ZoneOffset.UTC),
            Duration.ofHours(24));

    private TokenVerifier gateway(String... headendPublicKeys) {
        return TokenVerifier.configured(Map.of("headendPublicKeys", headendPublicKeys, "currency", "EUR",
                "maxAmountMinor", 100_000L, "meterAliases", new String[] {"10000001=d1"}), Set.of("d1", "d2")::contains,
                Clock.fixed(NOW.plusSeconds(30), ZoneOffset.UTC));
    }

    @Test
    void aPaymentPassesTheGatewaysCheckWithTheConfiguredKeyLine() throws Exception {
        IssuedToken t = issuer.credit("10000001", 2_000, "EUR", "app");

        TokenVerifier.Accepted v = gateway(key.gatewayConfigEntry()).verify(t.compact());

        assertThat(v.tokenId()).isEqualTo(t.id());
        assertThat(v.meterId()).isEqualTo("d1"); // the serial in the token, through the gateway's alias
        assertThat(v.kind()).isEqualTo("credit");
        assertThat(v.amountMinor()).isEqualTo(2_000);
        assertThat(v.currency()).isEqualTo("EUR");
        assertThat(v.issuedAt()).isEqualTo(NOW);
        assertThat(v.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    }

    @Test
    void emergencyAndStsTokensPassAndTheStsDigitsGoToTheMeterUnchanged() throws Exception {
        TokenVerifier.Accepted emergency = gateway(key.gatewayConfigEntry()).verify(issuer.emergency("d2", 500, "EUR", "chat")
                .compact());
        assertThat(emergency.kind()).isEqualTo("emergency");
        assertThat(emergency.amountMinor()).isEqualTo(500);

        TokenVerifier.Accepted sts = gateway(key.gatewayConfigEntry()).verify(issuer.sts("d2", "12345678901234567890", "EUR",
                "shop").compact());
        assertThat(sts.kind()).isEqualTo("sts");
        assertThat(new String(sts.meterPayload(), StandardCharsets.US_ASCII)).isEqualTo("12345678901234567890");
    }

    @Test
    void aGatewayWithoutThisKeyRejectsItsTokensAsUnknownKey() {
        String other = TokenSigningKey.generate().gatewayConfigEntry();
        IssuedToken t = issuer.credit("d1", 100, "EUR", "app");

        assertThatThrownBy(() -> gateway(other).verify(t.compact())).isInstanceOf(TokenVerifier.Refused.class)
                .hasMessageStartingWith("unknown-key").hasMessageContaining(key.kid());
    }

    @Test
    void aTokenUnderTheRightKidButAnotherKeyIsABadSignature() {
        // the gateway has a different key filed under this key's kid: a forgery as the gateway sees it
        String sameKidOtherKey = key.kid() + "=" + TokenSigningKey.generate().publicKeyPem().replace("\n", "");
        IssuedToken t = issuer.credit("d1", 100, "EUR", "app");

        assertThatThrownBy(() -> gateway(sameKidOtherKey).verify(t.compact())).isInstanceOf(TokenVerifier.Refused.class)
                .hasMessageStartingWith("bad-signature");
    }

    @Test
    void theGatewayStillChecksAmountsAndCurrency() {
        assertThatThrownBy(() -> gateway(key.gatewayConfigEntry()).verify(issuer.credit("d1", 100_001, "EUR", "app")
                .compact())).hasMessageStartingWith("amount-over-limit");
        assertThatThrownBy(() -> gateway(key.gatewayConfigEntry()).verify(issuer.credit("d1", 100, "USD", "app")
                .compact())).hasMessageStartingWith("wrong-currency");
        assertThatThrownBy(() -> gateway(key.gatewayConfigEntry()).verify(issuer.credit("m9", 100, "EUR", "app")
                .compact())).hasMessageStartingWith("unknown-meter");
    }
}
