// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64URL;

/**
 * Verifies a credit token: JWS compact serialization, ES256 only (the allow-list is this one algorithm, so
 * {@code none}, HS* and RS* never reach a verifier), {@code kid} naming a known head-end key, then the
 * claims. Each failure names the reason and what was wrong.
 */
final class TokenChecker {

    private static final Pattern TOKEN_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern STS_DIGITS = Pattern.compile("[0-9]{20}");

    private final PrepaySettings settings;
    private final HeadendKeyRing keys;
    private final Predicate<String> knownMeter;
    private final Clock clock;

    /** Checks against the configured head-end keys only. */
    TokenChecker(PrepaySettings settings, Predicate<String> knownMeter, Clock clock) {
        this(settings, HeadendKeyRing.configuredOnly(settings.keys()), knownMeter, clock);
    }

    /** @param knownMeter whether a meter id is one of ours */
    TokenChecker(PrepaySettings settings, HeadendKeyRing keys, Predicate<String> knownMeter, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.knownMeter = knownMeter;
        this.clock = clock;
    }

    VerifiedToken verify(String compact) throws TokenRejection {
        if (compact == null || compact.isBlank()) {
            throw reject(RejectReason.MALFORMED, "empty token", null, null);
        }
        if (compact.length() > PrepaySettings.MAX_TOKEN_CHARS) {
            throw reject(RejectReason.OVERSIZED, "token has " + compact.length() + " characters, at most "
                    + PrepaySettings.MAX_TOKEN_CHARS + " are accepted", null, null);
        }
        String[] parts = compact.strip().split("\\.", -1);
        if (parts.length != 3) {
            throw reject(RejectReason.MALFORMED, "expected a JWS compact serialization (header.payload.signature),"
                    + " got " + parts.length + " part(s)", null, null);
        }
        JWSObject jws = parseSigned(compact.strip(), parts[0]);
        Map<String, Object> claims = jws.getPayload().toJSONObject();
        if (claims == null) {
            throw reject(RejectReason.MALFORMED, "payload is not a JSON object", null, null);
        }
        String tokenId = claims.get("jti") instanceof String s ? s : null;
        String meterClaim = claims.get("meter") instanceof String s ? s : null;

        // the signature first: nothing from an unsigned payload goes further
        ECPublicKey key = keyFor((JWSHeader) jws.getHeader(), tokenId, meterClaim);
        try {
            if (!jws.verify(new ECDSAVerifier(key))) {
                throw reject(RejectReason.BAD_SIGNATURE, "signature does not match key '"
                        + jws.getHeader().getKeyID() + "'", tokenId, meterClaim);
            }
        } catch (JOSEException e) {
            throw reject(RejectReason.BAD_SIGNATURE, "signature cannot be checked: " + e.getMessage(), tokenId,
                    meterClaim);
        }
        return checkClaims(claims, compact.strip(), tokenId, meterClaim);
    }

    private JWSObject parseSigned(String compact, String headerPart) throws TokenRejection {
        Header header;
        try {
            header = Header.parse(new Base64URL(headerPart));
        } catch (ParseException | RuntimeException e) {
            throw reject(RejectReason.MALFORMED, "header is not valid base64url JSON: " + e.getMessage(), null, null);
        }
        if (!(header instanceof JWSHeader jwsHeader) || !JWSAlgorithm.ES256.equals(jwsHeader.getAlgorithm())) {
            throw reject(RejectReason.ALGORITHM_NOT_ALLOWED, "alg '" + header.getAlgorithm()
                    + "' is not allowed; only ES256 tokens are accepted", null, null);
        }
        try {
            return JWSObject.parse(compact);
        } catch (ParseException | RuntimeException e) {
            throw reject(RejectReason.MALFORMED, "not a valid JWS: " + e.getMessage(), null, null);
        }
    }

    private ECPublicKey keyFor(JWSHeader header, String tokenId, String meter) throws TokenRejection {
        String kid = header.getKeyID();
        if (kid == null || kid.isBlank()) {
            throw reject(RejectReason.UNKNOWN_KEY, "header has no kid; the head-end must name its signing key",
                    tokenId, meter);
        }
        Map<String, ECPublicKey> known = keys.keys();
        ECPublicKey key = known.get(kid);
        if (key == null) {
            throw reject(RejectReason.UNKNOWN_KEY, "kid '" + kid + "' is not a known head-end key (known: "
                    + known.keySet() + ")", tokenId, meter);
        }
        return key;
    }

    private VerifiedToken checkClaims(Map<String, Object> claims, String compact, String tokenId, String meterClaim)
            throws TokenRejection {
        if (tokenId == null || !TOKEN_ID.matcher(tokenId).matches()) {
            throw reject(tokenId == null ? RejectReason.MISSING_CLAIM : RejectReason.MALFORMED,
                    "jti must be 1..64 characters of letters, digits, '_', '-', '.', ':'", null, meterClaim);
        }
        if (meterClaim == null || meterClaim.isBlank()) {
            throw reject(RejectReason.MISSING_CLAIM, "meter claim is missing", tokenId, null);
        }
        String meterId = settings.meterAliases().getOrDefault(meterClaim, meterClaim);
        if (!knownMeter.test(meterId)) {
            throw reject(RejectReason.UNKNOWN_METER, "meter '" + meterClaim + "' is not a meter of this gateway",
                    tokenId, meterClaim);
        }
        String kind = claims.get("kind") instanceof String s ? s : null;
        if (kind == null) {
            throw reject(RejectReason.MISSING_CLAIM, "kind claim is missing (credit, emergency or sts)", tokenId, meterId);
        }
        if (!kind.equals(VerifiedToken.CREDIT) && !kind.equals(VerifiedToken.EMERGENCY)
                && !kind.equals(VerifiedToken.STS)) {
            throw reject(RejectReason.INVALID_KIND, "kind '" + kind + "' is not credit, emergency or sts", tokenId,
                    meterId);
        }
        String sts = null;
        if (kind.equals(VerifiedToken.STS)) {
            sts = claims.get("sts") instanceof String s ? s : null;
            if (sts == null || !STS_DIGITS.matcher(sts).matches()) {
                throw reject(RejectReason.INVALID_STS, "an sts token needs an sts claim of exactly 20 digits", tokenId,
                        meterId);
            }
        } else if (claims.containsKey("sts")) {
            throw reject(RejectReason.INVALID_STS, "sts claim on a " + kind + " token", tokenId, meterId);
        }
        long amount = amount(claims, kind, tokenId, meterId);
        String currency = claims.get("currency") instanceof String s ? s : null;
        if (currency == null) {
            throw reject(RejectReason.MISSING_CLAIM, "currency claim is missing", tokenId, meterId);
        }
        if (!currency.equals(settings.currency())) {
            throw reject(RejectReason.WRONG_CURRENCY, "currency " + currency + ", this gateway's meters use "
                    + settings.currency(), tokenId, meterId);
        }
        Instant now = clock.instant();
        Instant issuedAt = seconds(claims, "iat", tokenId, meterId);
        Instant expiresAt = seconds(claims, "exp", tokenId, meterId);
        if (!expiresAt.isAfter(issuedAt)) {
            throw reject(RejectReason.MALFORMED, "exp " + expiresAt + " is not after iat " + issuedAt, tokenId, meterId);
        }
        if (issuedAt.isAfter(now.plus(settings.clockSkew()))) {
            throw reject(RejectReason.NOT_YET_VALID, "issued at " + issuedAt + ", after the gateway's time " + now
                    + " plus " + settings.clockSkew().toSeconds() + " s skew; check the head-end's or gateway's clock",
                    tokenId, meterId);
        }
        if (claims.containsKey("nbf")) {
            Instant notBefore = seconds(claims, "nbf", tokenId, meterId);
            if (notBefore.isAfter(now.plus(settings.clockSkew()))) {
                throw reject(RejectReason.NOT_YET_VALID, "not valid before " + notBefore + " (gateway time " + now
                        + ")", tokenId, meterId);
            }
        }
        if (expiresAt.plus(settings.clockSkew()).isBefore(now)) {
            throw reject(RejectReason.EXPIRED, "expired at " + expiresAt + " (gateway time " + now + ")", tokenId,
                    meterId);
        }
        return new VerifiedToken(tokenId, meterId, kind, amount, currency, sts, issuedAt, expiresAt, compact);
    }

    private long amount(Map<String, Object> claims, String kind, String tokenId, String meterId)
            throws TokenRejection {
        Object value = claims.get("amount");
        if (value == null) {
            if (kind.equals(VerifiedToken.STS)) {
                return 0; // the amount is inside the STS digits
            }
            throw reject(RejectReason.MISSING_CLAIM, "amount claim is missing", tokenId, meterId);
        }
        if (!(value instanceof Long || value instanceof Integer)) {
            throw reject(RejectReason.INVALID_AMOUNT, "amount " + value
                    + " is not a whole number of minor units (cents) within 64 bits", tokenId, meterId);
        }
        long amount = ((Number) value).longValue();
        if (amount <= 0) {
            throw reject(RejectReason.INVALID_AMOUNT, "amount " + amount + " must be positive", tokenId, meterId);
        }
        if (amount > settings.maxAmountMinor()) {
            throw reject(RejectReason.AMOUNT_OVER_LIMIT, "amount " + amount + " is over the configured maximum "
                    + settings.maxAmountMinor(), tokenId, meterId);
        }
        return amount;
    }

    private static Instant seconds(Map<String, Object> claims, String name, String tokenId, String meterId)
            throws TokenRejection {
        Object value = claims.get(name);
        if (value == null) {
            throw reject(RejectReason.MISSING_CLAIM, name + " claim is missing", tokenId, meterId);
        }
        if (!(value instanceof Long || value instanceof Integer)) {
            throw reject(RejectReason.MALFORMED, name + " must be whole seconds since 1970, got " + value, tokenId,
                    meterId);
        }
        long epochSeconds = ((Number) value).longValue();
        if (epochSeconds < 0 || epochSeconds > 253_402_300_799L) {
            throw reject(RejectReason.MALFORMED, name + " " + epochSeconds + " is outside years 1970..9999", tokenId,
                    meterId);
        }
        return Instant.ofEpochSecond(epochSeconds);
    }

    private static TokenRejection reject(RejectReason reason, String explanation, String tokenId, String meterId) {
        return new TokenRejection(reason, explanation, tokenId, meterId);
    }
}
