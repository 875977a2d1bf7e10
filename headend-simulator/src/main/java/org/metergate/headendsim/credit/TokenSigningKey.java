// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.util.Base64;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * The head-end's credit-token signing key: EC P-256 for ES256. Kept as a JWK in {@value #PRIVATE_FILE} (mode
 * 0600, next to the PKI); the public half is written as PEM to {@value #PUBLIC_FILE} for the gateway
 * ({@code headendPublicKeys} of {@code org.metergate.prepay}) and the meters ({@code --headend-key}). The key id
 * ({@code kid}) is derived from the key itself (RFC 7638 thumbprint), so a new key never reuses an old kid.
 */
public final class TokenSigningKey {

    public static final String PRIVATE_FILE = "token-signing-key.jwk";
    public static final String PUBLIC_FILE = "token-signing-public.pem";

    private final ECKey key;
    private final Path publicFile;

    private TokenSigningKey(ECKey key, Path publicFile) {
        this.key = key;
        this.publicFile = publicFile;
    }

    /** A key in memory only (tests). */
    public static TokenSigningKey generate() {
        return new TokenSigningKey(newKey(), null);
    }

    /** Opens the key in {@code dir}, or creates one there (and the directory) if it has none. */
    public static TokenSigningKey openOrCreate(Path dir) throws IOException {
        Path privateFile = dir.resolve(PRIVATE_FILE);
        Path publicFile = dir.resolve(PUBLIC_FILE);
        if (!Files.exists(privateFile)) {
            Files.createDirectories(dir);
            ECKey created = newKey();
            try {
                writePrivate(privateFile, created.toJSONString());
            } catch (FileAlreadyExistsException raced) {
                return openOrCreate(dir); // another process created it a moment ago: use that one
            }
        }
        ECKey key;
        try {
            key = ECKey.parse(Files.readString(privateFile));
        } catch (ParseException e) {
            throw new IOException(privateFile + " is not a readable EC key (JWK): " + e.getMessage()
                    + "; move it away to create a new signing key (gateways then need the new public key)", e);
        }
        if (!key.isPrivate() || !Curve.P_256.equals(key.getCurve())) {
            throw new IOException(privateFile + " must hold a private P-256 key for ES256");
        }
        TokenSigningKey signing = new TokenSigningKey(key, publicFile);
        if (!Files.exists(publicFile) || !Files.readString(publicFile).equals(signing.publicKeyPem())) {
            Files.writeString(publicFile, signing.publicKeyPem());
        }
        return signing;
    }

    /** The {@code kid} header of every token signed with this key, e.g. {@code headend-Xb3k9sQ1fT2a}. */
    public String kid() {
        return key.getKeyID();
    }

    public ECPublicKey publicKey() {
        try {
            return key.toECPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException("signing key has no usable public half", e);
        }
    }

    /** {@code -----BEGIN PUBLIC KEY-----} (SubjectPublicKeyInfo), as the gateway and the meter simulator read it. */
    public String publicKeyPem() {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(publicKey().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n";
    }

    /** Where the public key PEM is, or null for a key in memory. */
    public Path publicKeyFile() {
        return publicFile;
    }

    /**
     * The gateway's configuration entry for this key, one line: {@code kid=-----BEGIN PUBLIC KEY-----...-----END
     * PUBLIC KEY-----}, a value of {@code headendPublicKeys} in {@code conf/org.metergate.prepay.cfg}.
     */
    public String gatewayConfigEntry() {
        return kid() + "=" + publicKeyPem().replace("\n", "");
    }

    JWSSigner signer() {
        try {
            return new ECDSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing key cannot sign ES256: " + e.getMessage(), e);
        }
    }

    private static ECKey newKey() {
        try {
            ECKey plain = new ECKeyGenerator(Curve.P_256).generate();
            String kid = "headend-" + plain.computeThumbprint().toString().substring(0, 12);
            return new ECKey.Builder(plain).keyID(kid).build();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot create a P-256 key: " + e.getMessage(), e);
        }
    }

    private static void writePrivate(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            // created 0600 in the same call: there is no moment in which another user could read it
            Files.write(Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------"))), bytes, StandardOpenOption.WRITE);
        } catch (UnsupportedOperationException notPosix) {
            Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
    }
}
