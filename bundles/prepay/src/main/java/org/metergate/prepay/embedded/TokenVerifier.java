// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.embedded;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import org.metergate.prepay.internal.EmbeddedTokenCheck;

/**
 * The gateway's check of a credit token (JWS ES256 signature against the configured head-end keys, claims, amount
 * limit, currency, meter), without OSGi and without a ledger or a meter: what a head-end implementation can run
 * its own tokens through.
 *
 * <p>For embedding the implementation outside OSGi (tests, simulators); not an OSGi API. The bundle does not
 * export this package; inside OSGi tokens go to the {@code CreditService}.
 */
public final class TokenVerifier {

    private final EmbeddedTokenCheck check;

    private TokenVerifier(EmbeddedTokenCheck check) {
        this.check = check;
    }

    /**
     * A check configured like {@code conf/org.metergate.prepay.cfg}: {@code configuration} holds its keys and
     * types ({@code headendPublicKeys} as {@code String[]} of {@code kid=PEM} lines, {@code currency},
     * {@code maxAmountMinor} as long, {@code clockSkewSeconds}, {@code meterAliases} as {@code serial=meterId}
     * lines, ...); missing keys take their defaults.
     *
     * @param knownMeter whether a meter id (after aliases) is one of the gateway's meters
     * @throws IllegalArgumentException for an unknown key, a value of the wrong type or a configuration the
     *         component would refuse
     */
    public static TokenVerifier configured(Map<String, Object> configuration, Predicate<String> knownMeter,
            Clock clock) {
        return new TokenVerifier(EmbeddedTokenCheck.create(Map.copyOf(configuration),
                Objects.requireNonNull(knownMeter, "knownMeter"), Objects.requireNonNull(clock, "clock")));
    }

    /** Checks one compact JWS; a token the gateway would accept comes back with what it would apply. */
    public Accepted verify(String compactToken) throws Refused {
        return check.verify(compactToken);
    }

    /**
     * A token that passed. {@code meterId} is the gateway's meter id (the token may name the meter by serial);
     * {@code meterPayload} is what the meter's token gateway would get (the STS digits, or the signed token).
     */
    public record Accepted(String tokenId, String meterId, String kind, long amountMinor, String currency,
            Instant issuedAt, Instant expiresAt, byte[] meterPayload) {

        public Accepted {
            meterPayload = meterPayload.clone();
        }

        @Override
        public byte[] meterPayload() {
            return meterPayload.clone();
        }
    }

    /** A token the gateway refuses; the message is the receipt's detail and starts with {@link #reason()}. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        private final String reason;

        public Refused(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        /** The reason code: {@code bad-signature}, {@code unknown-key}, {@code amount-over-limit}, ... */
        public String reason() {
            return reason;
        }
    }
}
