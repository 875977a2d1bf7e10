// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Key pairs, placeholder certificates and certification requests. Bouncy Castle is used through the provider
 * instance handed in, never registered JVM-wide, so this bundle cannot change other bundles' crypto.
 */
final class KeyMaterial {

    static final String SIGNATURE = "SHA256withECDSA";
    static final String ORGANISATION = "Metergate gateway";

    private final Provider bc;
    private final SecureRandom random;

    KeyMaterial(Provider bc, SecureRandom random) {
        this.bc = bc;
        this.random = random;
    }

    /** A fresh EC P-256 key pair. */
    KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    /**
     * A self-signed certificate for a new key: PKCS#12 stores a private key only together with a certificate chain.
     * The head-end never sees it; the console presents it until a CA-signed certificate is installed (the technician
     * checks its fingerprint). {@code notBefore} is the key's creation time.
     */
    X509Certificate placeholder(KeyPair keys, String gatewayId, Instant createdAt) throws GeneralSecurityException {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, gatewayId).build();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(63, random),
                Date.from(createdAt), Date.from(createdAt.plus(Duration.ofDays(3650))), name, keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot encode the placeholder certificate", e);
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer(keys.getPrivate())));
    }

    /** PKCS#10 request, subject {@code CN=<gatewayId>, O=Metergate gateway}, as PEM. */
    String certificationRequest(KeyPair keys, String gatewayId) throws GeneralSecurityException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, gatewayId)
                .addRDN(BCStyle.O, ORGANISATION).build();
        PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                .build(signer(keys.getPrivate()));
        try {
            return Pem.encode("CERTIFICATE REQUEST", request.getEncoded());
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot encode the certification request", e);
        }
    }

    private ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder(SIGNATURE).setProvider(bc).setSecureRandom(random).build(key);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot create a " + SIGNATURE + " signer", e);
        }
    }

    /** Same key, whatever encoding (named or explicit curve) the certificate authority chose. */
    static boolean sameKey(PublicKey a, PublicKey b) {
        if (a instanceof ECPublicKey && b instanceof ECPublicKey) {
            ECPublicKey x = (ECPublicKey) a;
            ECPublicKey y = (ECPublicKey) b;
            return x.getW().equals(y.getW()) && x.getParams().getCurve().equals(y.getParams().getCurve());
        }
        return Arrays.equals(a.getEncoded(), b.getEncoded());
    }
}
