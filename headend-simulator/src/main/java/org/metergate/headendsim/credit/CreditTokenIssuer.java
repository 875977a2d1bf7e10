// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;

/**
 * Issues credit tokens as the gateway (bundles/prepay) and the meters verify them (../shared/DESIGN.md "Credit
 * tokens"): JWS compact, ES256, {@code kid} of the signing key; claims {@code jti}, {@code meter}, {@code kind},
 * {@code amount} (minor units), {@code currency}, {@code sts} (kind sts only), {@code channel} (how the customer
 * paid; informational), {@code iat}, {@code exp}.
 */
public final class CreditTokenIssuer {

    public static final String CREDIT = "credit";
    public static final String EMERGENCY = "emergency";
    public static final String STS = "sts";

    private static final Pattern METER = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final Pattern STS_DIGITS = Pattern.compile("[0-9]{20}");

    private final TokenSigningKey key;
    private final Clock clock;
    private final Duration validity;

    /** @param validity how long a token may wait for its meter ({@code exp - iat}); the gateway retries until then */
    public CreditTokenIssuer(TokenSigningKey key, Clock clock, Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("token validity must be positive, got " + validity);
        }
        this.key = key;
        this.clock = clock;
        this.validity = validity;
    }

    /** A top-up of {@code amountMinor} (e.g. 2000 = 20.00 EUR). */
    public IssuedToken credit(String meter, long amountMinor, String currency, String channel) {
        return issue(meter, CREDIT, amountMinor, currency, null, channel);
    }

    /** Emergency credit: the meter lends it and takes it back from the next top-up. */
    public IssuedToken emergency(String meter, long amountMinor, String currency, String channel) {
        return issue(meter, EMERGENCY, amountMinor, currency, null, channel);
    }

    /** A 20-digit IEC 62055-41 (STS) token, passed to the meter unchanged by the gateway. */
    public IssuedToken sts(String meter, String digits, String currency, String channel) {
        String d = digits == null ? "" : digits.replaceAll("[\\s-]", "");
        if (!STS_DIGITS.matcher(d).matches()) {
            throw new IllegalArgumentException("an STS token is exactly 20 digits (spaces and dashes allowed between"
                    + " groups), got '" + digits + "'");
        }
        return issue(meter, STS, null, currency, d, channel);
    }

    private IssuedToken issue(String meter, String kind, Long amountMinor, String currency, String sts,
            String channel) {
        if (meter == null || !METER.matcher(meter).matches()) {
            throw new IllegalArgumentException("meter '" + meter + "' is not a meter name: 1 to 64 letters, digits,"
                    + " '_', '.', ':' or '-' (its serial, system title or the gateway's meter id)");
        }
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("channel '" + channel + "' must be 1 to 32 letters, digits, '_', '.'"
                    + " or '-' (e.g. app, wallet, chat, shop)");
        }
        Money.fractionDigits(currency); // a clear error for a bad code
        if (amountMinor != null && (amountMinor <= 0 || amountMinor > Money.MAX_MINOR)) {
            throw new IllegalArgumentException("amount " + amountMinor + " minor units must be 1.." + Money.MAX_MINOR);
        }
        Instant now = clock.instant();
        long iat = now.getEpochSecond();
        long exp = now.plus(validity).getEpochSecond();
        String id = "he-" + UUID.randomUUID();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", id);
        claims.put("meter", meter);
        claims.put("kind", kind);
        if (amountMinor != null) {
            claims.put("amount", amountMinor);
        }
        claims.put("currency", currency);
        if (sts != null) {
            claims.put("sts", sts);
        }
        claims.put("channel", channel);
        claims.put("iat", iat);
        claims.put("exp", exp);
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.kid()).build(),
                new Payload(claims));
        try {
            jws.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing token " + id + " failed: " + e.getMessage(), e);
        }
        return new IssuedToken(id, meter, kind, amountMinor, currency, channel, key.kid(), Instant.ofEpochSecond(iat),
                Instant.ofEpochSecond(exp), jws.serialize());
    }
}
