// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64URL;

/**
 * The meter firmware's check of a signed credit token (JWS compact, ES256 only) with the head-end public keys it
 * was given, by {@code kid}. The {@code meter} claim must name this meter by serial or system title (hex); expired
 * tokens are refused. Replays are refused afterwards by the meter's persistent used-token list, keyed by
 * {@code jti}. Status codes: 4 format fail (not a JWS, bad claims), 5 authentication fail (algorithm, key,
 * signature), 6 validation fail (wrong meter, expired, amount).
 */
public final class JwsTokenVerifier implements TokenVerifier {

    private final Map<String, ECPublicKey> keys;
    private final String systemTitleHex;
    private final Clock clock;
    private final Duration clockSkew;

    /**
     * @param keys head-end public keys by kid
     * @param systemTitleHex this meter's system title in hex, also accepted as its name in the meter claim; null
     *                       when tokens name the meter by serial only
     */
    public JwsTokenVerifier(Map<String, ECPublicKey> keys, String systemTitleHex, Clock clock, Duration clockSkew) {
        this.keys = Map.copyOf(keys);
        this.systemTitleHex = systemTitleHex;
        this.clock = clock;
        this.clockSkew = clockSkew;
    }

    /**
     * Reads a head-end public key from its PEM text ({@code -----BEGIN PUBLIC KEY-----}, P-256).
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static ECPublicKey readPublicKey(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("not a PEM EC public key (expected -----BEGIN PUBLIC KEY----- of a"
                    + " P-256 key): " + e.getMessage(), e);
        }
    }

    @Override
    public CreditToken verify(byte[] token, String meterSerial) throws TokenRejectedException {
        String compact = new String(token, StandardCharsets.US_ASCII).strip();
        String[] parts = compact.split("\\.", -1);
        if (parts.length != 3) {
            throw new TokenRejectedException(TokenStatus.FORMAT_FAIL, "not a signed token (JWS compact)");
        }
        Header header;
        JWSObject jws;
        try {
            header = Header.parse(new Base64URL(parts[0]));
            if (!(header instanceof JWSHeader h) || !JWSAlgorithm.ES256.equals(h.getAlgorithm())) {
                throw new TokenRejectedException(TokenStatus.AUTHENTICATION_FAIL,
                        "algorithm " + header.getAlgorithm() + " is not accepted; only ES256");
            }
            jws = JWSObject.parse(compact);
        } catch (ParseException | RuntimeException e) {
            throw new TokenRejectedException(TokenStatus.FORMAT_FAIL, "unreadable token: " + e.getMessage());
        }
        ECPublicKey key = keys.get(header instanceof JWSHeader h ? h.getKeyID() : null);
        if (key == null) {
            throw new TokenRejectedException(TokenStatus.AUTHENTICATION_FAIL, "unknown signing key");
        }
        try {
            if (!jws.verify(new ECDSAVerifier(key))) {
                throw new TokenRejectedException(TokenStatus.AUTHENTICATION_FAIL, "signature does not verify");
            }
        } catch (JOSEException e) {
            throw new TokenRejectedException(TokenStatus.AUTHENTICATION_FAIL, "signature check failed: " + e.getMessage());
        }
        Map<String, Object> claims = jws.getPayload().toJSONObject();
        if (claims == null || !(claims.get("jti") instanceof String jti) || jti.isBlank() || jti.contains(",")) {
            throw new TokenRejectedException(TokenStatus.FORMAT_FAIL, "token has no usable jti");
        }
        Object meter = claims.get("meter");
        if (!meterSerial.equals(meter)
                && (systemTitleHex == null || !systemTitleHex.equalsIgnoreCase(String.valueOf(meter)))) {
            throw new TokenRejectedException(TokenStatus.VALIDATION_FAIL,
                    "token is for meter " + meter + ", this is meter " + meterSerial);
        }
        if (!(claims.get("exp") instanceof Long exp)
                || Instant.ofEpochSecond(exp).plus(clockSkew).isBefore(clock.instant())) {
            throw new TokenRejectedException(TokenStatus.VALIDATION_FAIL, "token expired or has no exp");
        }
        if (!(claims.get("amount") instanceof Long amount) || amount <= 0 || amount > TestTokenFormat.MAX_AMOUNT_MINOR) {
            throw new TokenRejectedException(TokenStatus.VALIDATION_FAIL, "token amount missing or out of range");
        }
        Object kind = claims.get("kind");
        if (!"credit".equals(kind) && !"emergency".equals(kind)) {
            throw new TokenRejectedException(TokenStatus.FORMAT_FAIL, "token kind " + kind + " is not a credit token");
        }
        return new CreditToken(jti, amount, kind + " " + amount + " " + claims.get("currency"));
    }
}
