// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.metergate.api.security.HeadendTokenKeys;

/** Tokens are verified with the security bundle's keys as they change, next to the configured ones. */
class HeadendKeyRingTest {

    /** The security bundle's service as seen through the API: keys added and removed at run time. */
    private static final class HeldKeys implements HeadendTokenKeys {
        private final Map<String, ECPublicKey> keys = new TreeMap<>();
        private long version;

        synchronized void add(String kid, ECPublicKey key) {
            keys.put(kid, key);
            version++;
        }

        synchronized void remove(String kid) {
            keys.remove(kid);
            version++;
        }

        @Override
        public synchronized Map<String, ECPublicKey> keys() {
            return Map.copyOf(keys);
        }

        @Override
        public synchronized long version() {
            return version;
        }
    }

    private final TestTokens tokens = new TestTokens();
    private final List<String> warnings = new ArrayList<>();
    private final PrepayLog log = new PrepayLog() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message, Throwable cause) {
            warnings.add(message);
        }
    };

    private TokenChecker checker(Map<String, ECPublicKey> configured, HeldKeys held) {
        PrepaySettings settings = new PrepaySettings(configured, "EUR", 10_000, Duration.ofSeconds(60), Map.of(),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(10), Duration.ofSeconds(1));
        return new TokenChecker(settings, new HeadendKeyRing(configured, () -> held, log), "m1"::equals,
                Clock.systemUTC());
    }

    @Test
    void aKeyAddedThroughTheServiceVerifiesTokensUntilItIsRemoved() throws Exception {
        HeldKeys held = new HeldKeys();
        TokenChecker checker = checker(Map.of(), held);
        assertThatThrownBy(() -> checker.verify(tokens.sign(tokens.claims("m1", 500))))
                .hasMessageStartingWith("unknown-key: ");

        held.add(TestTokens.KID, tokens.publicKey());
        assertThat(checker.verify(tokens.sign(tokens.claims("m1", 500))).amountMinor()).isEqualTo(500);

        held.remove(TestTokens.KID);
        assertThatThrownBy(() -> checker.verify(tokens.sign(tokens.claims("m1", 500))))
                .isInstanceOf(TokenRejection.class).hasMessageStartingWith("unknown-key: ");
    }

    @Test
    void configuredKeysStillVerifyAndTheSameKeyInBothIsNoConflict() throws Exception {
        HeldKeys held = new HeldKeys();
        TokenChecker checker = checker(Map.of(TestTokens.KID, tokens.publicKey()), held);
        assertThat(checker.verify(tokens.sign(tokens.claims("m1", 100))).amountMinor()).isEqualTo(100);

        held.add(TestTokens.KID, tokens.publicKey());
        assertThat(checker.verify(tokens.sign(tokens.claims("m1", 200))).amountMinor()).isEqualTo(200);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aKidDefinedDifferentlyInBothPlacesIsRefusedAndLogged() throws Exception {
        HeldKeys held = new HeldKeys();
        TokenChecker checker = checker(Map.of(TestTokens.KID, tokens.publicKey()), held);
        held.add(TestTokens.KID, new TestTokens().publicKey());

        assertThatThrownBy(() -> checker.verify(tokens.sign(tokens.claims("m1", 500))))
                .isInstanceOf(TokenRejection.class).hasMessageStartingWith("unknown-key: ");
        assertThat(warnings).singleElement().asString().contains("'" + TestTokens.KID + "'")
                .contains("defined differently");

        held.remove(TestTokens.KID);
        assertThat(checker.verify(tokens.sign(tokens.claims("m1", 500))).amountMinor()).isEqualTo(500);
        assertThat(warnings).hasSize(1);
    }
}
