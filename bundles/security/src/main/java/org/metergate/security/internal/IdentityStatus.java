// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.time.Instant;
import java.util.List;

/**
 * What a technician needs to see about the identity. Certificate fields are null while only the placeholder
 * exists; {@code pendingKeyCreatedAt} is null unless a rotation waits for its certificate.
 */
public record IdentityStatus(String gatewayId, String directory, Instant keyCreatedAt, boolean signedCertificate,
        String subject, String issuer, Instant notBefore, Instant notAfter, List<String> authorities,
        Instant pendingKeyCreatedAt) {

    /** Multi-line text for the shell and the console, ending with the next commissioning step if one is due. */
    public String describe(Instant now) {
        String nl = System.lineSeparator();
        StringBuilder b = new StringBuilder();
        b.append("gateway id:        ").append(gatewayId).append(nl);
        b.append("key directory:     ").append(directory).append(nl);
        b.append("device key:        EC P-256, created ").append(keyCreatedAt).append(nl);
        if (!signedCertificate) {
            b.append("certificate:       none yet (self-signed placeholder only)").append(nl);
            b.append("next step:         run mg:csr, send the request to the head-end, then mg:install-cert "
                    + "<chain.pem> <ca.pem>").append(nl);
        } else {
            b.append("certificate:       ").append(subject).append(nl);
            b.append("issued by:         ").append(issuer).append(nl);
            b.append("valid:             ").append(notBefore).append(" to ").append(notAfter)
                    .append(now.isAfter(notAfter) ? "  EXPIRED — rotate now (mg:rotate)"
                            : now.isBefore(notBefore) ? "  NOT YET VALID — check the gateway clock" : "")
                    .append(nl);
            b.append("trusted head-end:  ").append(String.join("; ", authorities)).append(nl);
        }
        if (pendingKeyCreatedAt != null) {
            b.append("rotation:          new key created ").append(pendingKeyCreatedAt)
                    .append(", waiting for its certificate (mg:csr shows its request; mg:install-cert switches over)")
                    .append(nl);
        }
        return b.toString();
    }
}
