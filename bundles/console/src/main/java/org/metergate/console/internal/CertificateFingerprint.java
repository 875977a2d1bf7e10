// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How the console's certificate is described in the log: the browser shows the same SHA-256 fingerprint, so a
 * technician can tell the gateway's certificate from an impostor's before accepting the browser's warning.
 */
final class CertificateFingerprint {

    private CertificateFingerprint() {
    }

    static String sha256(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot compute the certificate fingerprint", e);
        }
    }

    static String describe(X509Certificate certificate) {
        boolean selfSigned = certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
        return (selfSigned ? "self-signed (the gateway is not commissioned yet)" : "issued by "
                + certificate.getIssuerX500Principal().getName()) + ", subject "
                + certificate.getSubjectX500Principal().getName() + ", SHA-256 fingerprint "
                + sha256(certificate).toUpperCase(Locale.ROOT);
    }
}
