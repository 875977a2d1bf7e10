// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the configured head-end public keys, {@code kid=<PEM or base64 SubjectPublicKeyInfo>} each. */
final class HeadendKeys {

    private HeadendKeys() {
    }

    static Map<String, ECPublicKey> parse(String[] entries) {
        Map<String, ECPublicKey> keys = new LinkedHashMap<>();
        if (entries == null) {
            return keys;
        }
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i] == null ? "" : entries[i].strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("headendPublicKeys entry " + (i + 1)
                        + " must be kid=<PEM public key>, e.g. headend-2026=-----BEGIN PUBLIC KEY-----MFkw...");
            }
            String kid = entry.substring(0, eq).strip();
            keys.put(kid, decode(kid, entry.substring(eq + 1)));
        }
        return keys;
    }

    static ECPublicKey decode(String kid, String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            ECPublicKey ec = (ECPublicKey) key;
            if (!isP256(ec.getParams())) {
                throw new IllegalArgumentException("head-end key '" + kid + "' is not a P-256 key; ES256 needs P-256");
            }
            return ec;
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
                    && iae.getMessage().startsWith("head-end key")) {
                throw iae;
            }
            throw new IllegalArgumentException("head-end key '" + kid + "' is not a readable EC public key (expected"
                    + " the PEM 'BEGIN PUBLIC KEY' block of a P-256 key): " + e.getMessage(), e);
        }
    }

    private static boolean isP256(ECParameterSpec params) {
        return params.getCurve().getField().getFieldSize() == 256;
    }
}
