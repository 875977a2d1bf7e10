// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.metergate.prepay.embedded.TokenVerifier;
import org.metergate.testing.BundleManifests;

/** The embedding factory gives the gateway's own token check, configured as in conf/, and is not exported. */
class EmbeddedTokenVerifierTest {

    private final TestTokens tokens = new TestTokens();

    private TokenVerifier verifier() {
        return TokenVerifier.configured(Map.of("headendPublicKeys",
                new String[] {TestTokens.KID + "=" + tokens.publicKeyPem().replace("\n", "")}, "currency", "EUR",
                "maxAmountMinor", 50_000L, "meterAliases", new String[] {"10000001=d1"}),
                Set.of("d1")::contains, Clock.systemUTC());
    }

    @Test
    void aTokenTheGatewayAcceptsComesBackWithWhatItWouldApply() throws Exception {
        Map<String, Object> claims = tokens.claims("10000001", 1200);
        String compact = tokens.sign(claims);

        TokenVerifier.Accepted accepted = verifier().verify(compact);

        assertThat(accepted.tokenId()).isEqualTo(claims.get("jti"));
        assertThat(accepted.meterId()).isEqualTo("d1");
        assertThat(accepted.kind()).isEqualTo("credit");
        assertThat(accepted.amountMinor()).isEqualTo(1200);
        assertThat(accepted.currency()).isEqualTo("EUR");
        assertThat(new String(accepted.meterPayload(), StandardCharsets.US_ASCII)).isEqualTo(compact);
    }

    @Test
    void refusedTokensCarryTheReasonCodeOfTheReceipt() {
        TokenVerifier verifier = verifier();
        assertThatThrownBy(() -> verifier.verify(tokens.forged(tokens.claims("d1", 100))))
                .isInstanceOfSatisfying(TokenVerifier.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo("bad-signature"))
                .hasMessageStartingWith("bad-signature: ");
        assertThatThrownBy(() -> verifier.verify(tokens.sign(tokens.claims("d1", 50_001))))
                .isInstanceOfSatisfying(TokenVerifier.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo("amount-over-limit"));
        assertThatThrownBy(() -> verifier.verify(tokens.sign(tokens.claims("m9", 100))))
                .isInstanceOfSatisfying(TokenVerifier.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo("unknown-meter"));
    }

    @Test
    void aConfigurationTheComponentWouldRefuseIsRefusedHereByName() {
        assertThatThrownBy(() -> TokenVerifier.configured(Map.of("currency", "euro"), id -> true, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("currency 'euro'");
        assertThatThrownBy(() -> TokenVerifier.configured(Map.of("maxAmount", 5L), id -> true, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'maxAmount' is not a setting");
        assertThatThrownBy(() -> TokenVerifier.configured(Map.of("maxAmountMinor", 5), id -> true,
                Clock.systemUTC())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setting maxAmountMinor must be long");
    }

    @Test
    void theBundleExportsNeitherTheFactoryNorTheInternals() throws Exception {
        BundleManifests.assertExportsNothing("org.metergate.prepay.embedded", "org.metergate.prepay.internal");
    }
}
