// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

/** A head-end signing key made for one test, and the tokens it signs (good ones and attacks). */
final class TestTokens {

    static final String KID = "headend-test";

    private final ECKey key;
    private int counter;

    TestTokens() {
        try {
            key = new ECKeyGenerator(Curve.P_256).keyID(KID).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    ECPublicKey publicKey() {
        try {
            return key.toECPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as configured: PEM. */
    String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(
                        publicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----";
    }

    /** Claims of a valid credit token for {@code meter}, valid for an hour from now. */
    Map<String, Object> claims(String meter, long amountMinor) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("jti", "t-" + (++counter) + "-" + System.nanoTime());
        c.put("meter", meter);
        c.put("amount", amountMinor);
        c.put("currency", "EUR");
        c.put("kind", "credit");
        c.put("iat", now);
        c.put("exp", now + 3600);
        return c;
    }

    String sign(Map<String, Object> claims) {
        return sign(claims, key, KID);
    }

    static String sign(Map<String, Object> claims, ECKey signer, String kid) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(),
                    new Payload(claims));
            jws.sign(new ECDSASigner(signer));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed with another key under our kid: a forgery. */
    String forged(Map<String, Object> claims) {
        try {
            return sign(claims, new ECKeyGenerator(Curve.P_256).generate(), KID);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Properly signed, but naming a kid the gateway does not know. */
    String unknownKid(Map<String, Object> claims) {
        return sign(claims, key, "someone-else");
    }

    /** HMAC with a secret: the algorithm-confusion attack. */
    static String hs256(Map<String, Object> claims) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(KID).build(),
                    new Payload(claims));
            jws.sign(new MACSigner(new byte[32]));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}, no signature. */
    static String unsigned(Map<String, Object> claims) {
        return Base64URL.encode("{\"alg\":\"none\",\"kid\":\"" + KID + "\"}") + "."
                + Base64URL.encode(JSONObjectUtils.toJSONString(claims)) + ".";
    }

    /** A signed token whose payload is not JSON. */
    String signedText(String payload) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(KID).build(),
                    new Payload(payload));
            jws.sign(new ECDSASigner(key));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
