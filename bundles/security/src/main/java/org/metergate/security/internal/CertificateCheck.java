// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** The checks a certificate chain must pass before it replaces the installed one. Each failure says what to do. */
final class CertificateCheck {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_USAGE = "2.5.29.37.0";

    private CertificateCheck() {
    }

    static void validity(X509Certificate certificate, String what, Instant now) throws CertificateRejectedException {
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new CertificateRejectedException(what + " '" + certificate.getSubjectX500Principal().getName()
                    + "' expired on " + certificate.getNotAfter().toInstant() + " (gateway time " + now
                    + "); ask the head-end for a new certificate, or check the gateway clock");
        } catch (CertificateNotYetValidException e) {
            throw new CertificateRejectedException(what + " '" + certificate.getSubjectX500Principal().getName()
                    + "' is not valid before " + certificate.getNotBefore().toInstant() + " (gateway time " + now
                    + "); check the gateway clock (NTP) and try again");
        }
    }

    static void commonName(X509Certificate certificate, String gatewayId) throws CertificateRejectedException {
        String cn = commonNameOf(certificate);
        if (!gatewayId.equals(cn)) {
            throw new CertificateRejectedException("the device certificate is for CN '" + cn + "' but this gateway "
                    + "is '" + gatewayId + "'; the head-end would file its data under the wrong gateway — ask for a "
                    + "certificate for CN=" + gatewayId + " (send the CSR from mg:csr)");
        }
    }

    static void clientUsage(X509Certificate certificate) throws CertificateRejectedException {
        List<String> usages;
        try {
            usages = certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new CertificateRejectedException("the device certificate's extended key usage cannot be read", e);
        }
        if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_USAGE)) {
            throw new CertificateRejectedException("the device certificate does not allow TLS client "
                    + "authentication (extended key usage " + usages + "); the broker would refuse it — ask the "
                    + "head-end CA to issue it with clientAuth");
        }
    }

    /** Verifies leaf + intermediates up to one of {@code authorities} at {@code now}, without revocation checks. */
    static void chainsTo(List<X509Certificate> chain, List<X509Certificate> authorities, Instant now)
            throws CertificateRejectedException {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate ca : authorities) {
            anchors.add(new TrustAnchor(ca, null));
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            // the gateway often has no route to CRL or OCSP servers; the broker checks revocation on its side
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(withoutAnchors(chain, authorities)),
                    parameters);
        } catch (CertPathValidatorException e) {
            throw new CertificateRejectedException("the device certificate (issued by '"
                    + chain.get(0).getIssuerX500Principal().getName() + "') does not chain up to the head-end CA "
                    + subjects(authorities) + ": " + e.getMessage() + " — check that the CA file is the head-end's "
                    + "CA and that the chain file includes any intermediate certificates", e);
        } catch (GeneralSecurityException e) {
            throw new CertificateRejectedException("the certificate chain cannot be checked: " + e.getMessage(), e);
        }
    }

    static List<X509Certificate> withoutAnchors(List<X509Certificate> chain, List<X509Certificate> authorities) {
        List<X509Certificate> path = new ArrayList<>(chain);
        path.removeIf(authorities::contains);
        return path;
    }

    static String commonNameOf(X509Certificate certificate) {
        RDN[] names = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
        return names.length == 0 ? "" : IETFUtils.valueToString(names[0].getFirst().getValue());
    }

    static String subjects(List<X509Certificate> certificates) {
        List<String> names = new ArrayList<>();
        for (X509Certificate c : certificates) {
            names.add("'" + c.getSubjectX500Principal().getName() + "'");
        }
        return String.join(", ", names);
    }
}
