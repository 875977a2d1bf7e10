// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Claim checks that need no meter: kinds, STS pass-through, aliases, clock skew boundaries, configuration. */
class TokenCheckerTest {

    private final TestTokens tokens = new TestTokens();

    private TokenChecker checker(Clock clock, Map<String, String> aliases) {
        PrepaySettings settings = new PrepaySettings(Map.of(TestTokens.KID, tokens.publicKey()), "EUR", 10_000,
                Duration.ofSeconds(60), aliases, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(10),
                Duration.ofSeconds(1));
        return new TokenChecker(settings, "m1"::equals, clock);
    }

    private TokenChecker checker() {
        return checker(Clock.systemUTC(), Map.of("10000001", "m1"));
    }

    @Test
    void stsTokensCarryTheirTwentyDigitsToTheMeterUnchanged() throws Exception {
        Map<String, Object> claims = tokens.claims("m1", 500);
        claims.put("kind", "sts");
        claims.put("sts", "12345678901234567890");

        VerifiedToken token = checker().verify(tokens.sign(claims));

        assertThat(token.kind()).isEqualTo("sts");
        assertThat(new String(token.meterPayload(), StandardCharsets.US_ASCII)).isEqualTo("12345678901234567890");
    }

    @Test
    void stsTokensWithoutExactlyTwentyDigitsAreRejected() {
        Map<String, Object> claims = tokens.claims("m1", 500);
        claims.put("kind", "sts");
        claims.put("sts", "1234");
        assertThatThrownBy(() -> checker().verify(tokens.sign(claims))).isInstanceOf(TokenRejection.class)
                .hasMessageStartingWith("invalid-sts: ");
    }

    @Test
    void creditTokensGoToTheMeterAsTheSignedTokenItself() throws Exception {
        String signed = tokens.sign(tokens.claims("m1", 500));
        VerifiedToken token = checker().verify(signed);
        assertThat(new String(token.meterPayload(), StandardCharsets.US_ASCII)).isEqualTo(signed);
    }

    @Test
    void aMeterNamedByAnAliasMapsToOurMeterId() throws Exception {
        VerifiedToken token = checker().verify(tokens.sign(tokens.claims("10000001", 500)));
        assertThat(token.meterId()).isEqualTo("m1");
    }

    @Test
    void clockSkewIsToleratedUpToItsLimitOnBothEnds() throws Exception {
        Map<String, Object> claims = tokens.claims("m1", 500);
        long iat = (Long) claims.get("iat");
        long exp = (Long) claims.get("exp");
        String signed = tokens.sign(claims);
        Clock early = Clock.fixed(Instant.ofEpochSecond(iat - 60), ZoneOffset.UTC);
        Clock tooEarly = Clock.fixed(Instant.ofEpochSecond(iat - 61), ZoneOffset.UTC);
        Clock late = Clock.fixed(Instant.ofEpochSecond(exp + 60), ZoneOffset.UTC);
        Clock tooLate = Clock.fixed(Instant.ofEpochSecond(exp + 61), ZoneOffset.UTC);

        assertThat(checker(early, Map.of()).verify(signed).tokenId()).isEqualTo(claims.get("jti"));
        assertThat(checker(late, Map.of()).verify(signed).tokenId()).isEqualTo(claims.get("jti"));
        assertThatThrownBy(() -> checker(tooEarly, Map.of()).verify(signed)).hasMessageStartingWith("not-yet-valid: ");
        assertThatThrownBy(() -> checker(tooLate, Map.of()).verify(signed)).hasMessageStartingWith("expired: ");
    }

    @Test
    void aRejectionCarriesTheTokenIdAndMeterWhenTheyCouldBeRead() {
        Map<String, Object> claims = tokens.claims("m1", 20_000);
        assertThatThrownBy(() -> checker().verify(tokens.sign(claims))).isInstanceOfSatisfying(TokenRejection.class,
                e -> {
                    assertThat(e.reason()).isEqualTo(RejectReason.AMOUNT_OVER_LIMIT);
                    assertThat(e.tokenId()).isEqualTo(claims.get("jti"));
                    assertThat(e.meterId()).isEqualTo("m1");
                    assertThat(e.getMessage()).contains("20000").contains("10000");
                });
    }

    @Test
    void configuredPemKeysAreReadAndBadOnesExplained() {
        Map<String, java.security.interfaces.ECPublicKey> keys =
                HeadendKeys.parse(new String[] {"he-1=" + tokens.publicKeyPem()});
        assertThat(keys.get("he-1").getEncoded()).isEqualTo(tokens.publicKey().getEncoded());

        assertThatThrownBy(() -> HeadendKeys.parse(new String[] {"no-equals-sign"}))
                .hasMessageContaining("kid=<PEM public key>");
        assertThatThrownBy(() -> HeadendKeys.parse(new String[] {"he-2=not a key"}))
                .hasMessageContaining("he-2").hasMessageContaining("P-256");
    }

    @Test
    void settingsRefuseValuesThatCannotWork() {
        assertThatThrownBy(() -> new PrepaySettings(Map.of(), "euro", 100, Duration.ZERO, Map.of(),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(1), Duration.ofSeconds(1)))
                .hasMessageContaining("ISO 4217");
        assertThatThrownBy(() -> new PrepaySettings(Map.of(), "EUR", 0, Duration.ZERO, Map.of(),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(1), Duration.ofSeconds(1)))
                .hasMessageContaining("maxAmountMinor");
    }
}
