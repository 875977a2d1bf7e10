// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.metergate.console.internal.Html.escape;
import static org.metergate.console.internal.Html.hidden;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import org.metergate.api.security.DeviceCommissioning;

/** The certificates page as HTML: the certificate in use, the request to download, the form to install. */
final class CertificatePages {

    static final String TITLE = "Certificates";
    static final String NO_IDENTITY = "The device identity is not running: set gatewayId in "
            + "conf/org.metergate.security.cfg; the log says what is wrong.";

    private CertificatePages() {
    }

    /**
     * @param inUse         the certificate new connections present, null while the identity is not running
     * @param commissioning null while the identity is not running
     */
    static String certificates(X509Certificate inUse, DeviceCommissioning commissioning, Instant now, String error,
            String chain, String ca, String csrfToken) {
        StringBuilder body = new StringBuilder();
        body.append(Html.error(error));
        if (inUse == null || commissioning == null) {
            body.append("<p>").append(escape(NO_IDENTITY)).append("</p>");
            return Html.page(TITLE, csrfToken, body.toString());
        }
        inUse(body, inUse, commissioning.headendAuthorities(), now);
        body.append("<h2>1. Certification request</h2><p>Download the request and send it to the head-end operator. "
                + "It holds the gateway's public key and id, never the private key.</p>");
        if (commissioning.rotationPending()) {
            body.append("<p>A key rotation is pending: the request is for the new key, and installing its "
                    + "certificate switches over to it.</p>");
        }
        body.append("<p><a class=\"button\" href=\"").append(CertificatesSection.REQUEST_PATH)
                .append("\" download>Download the request (PEM)</a></p>");
        body.append("<h2>2. Install the signed certificate</h2><p>Paste what the head-end CA returned. The gateway "
                + "checks that the certificate is for its own key and id, that it is valid today, that it allows TLS "
                + "client authentication and that it is signed by the CA; otherwise nothing changes. The head-end "
                + "link uses it from its next connection, the console from the next page load.</p>")
                .append("<form method=\"post\" action=\"/certificates/install\">").append(hidden("csrf", csrfToken))
                .append("<label>Signed certificate, then any intermediate certificates (PEM)")
                .append("<textarea name=\"chain\" rows=\"10\" cols=\"66\" spellcheck=\"false\" ")
                .append("placeholder=\"-----BEGIN CERTIFICATE-----\">").append(escape(chain)).append("</textarea>")
                .append("</label><label>Head-end CA certificate (PEM)")
                .append("<textarea name=\"ca\" rows=\"10\" cols=\"66\" spellcheck=\"false\" ")
                .append("placeholder=\"-----BEGIN CERTIFICATE-----\">").append(escape(ca)).append("</textarea>")
                .append("</label><button type=\"submit\">Install</button></form>");
        return Html.page(TITLE, csrfToken, body.toString());
    }

    private static void inUse(StringBuilder body, X509Certificate certificate, List<X509Certificate> authorities,
            Instant now) {
        boolean selfSigned = certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
        Instant from = certificate.getNotBefore().toInstant();
        Instant until = certificate.getNotAfter().toInstant();
        body.append("<h2>Certificate in use</h2>");
        body.append("<p class=\"").append(selfSigned ? "error" : "ok").append("\">")
                .append(selfSigned ? "Self-signed placeholder: the gateway is not commissioned yet. The head-end "
                        + "link cannot connect until the signed certificate is installed."
                        : "Signed by the head-end CA.")
                .append("</p><dl class=\"facts\">");
        fact(body, "Subject", certificate.getSubjectX500Principal().getName());
        fact(body, "Issuer", certificate.getIssuerX500Principal().getName());
        fact(body, "Valid", Text.time(from) + " to " + Text.time(until)
                + (now.isAfter(until) ? " (expired: ask the head-end for a new certificate)"
                        : now.isBefore(from) ? " (not valid yet: check the gateway clock)" : ""));
        fact(body, "SHA-256 fingerprint", CertificateFingerprint.sha256(certificate));
        if (authorities.isEmpty()) {
            fact(body, "Head-end CA", "none installed");
        } else {
            for (X509Certificate ca : authorities) {
                fact(body, "Head-end CA", ca.getSubjectX500Principal().getName() + " (valid until "
                        + Text.time(ca.getNotAfter().toInstant()) + ")");
            }
        }
        body.append("</dl><p class=\"at\">The browser shows the same fingerprint in the certificate details.</p>");
    }

    private static void fact(StringBuilder body, String name, String value) {
        body.append("<dt>").append(escape(name)).append("</dt><dd>").append(escape(value)).append("</dd>");
    }
}
