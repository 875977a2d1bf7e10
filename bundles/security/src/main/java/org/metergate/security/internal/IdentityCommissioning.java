// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.security.GeneralSecurityException;
import java.io.IOException;

/**
 * Commissioning operations on the device identity, used by the shell commands. Kept inside this bundle for now;
 * it is shaped so it can move to {@code org.metergate.api.security} when the web console needs it.
 */
public interface IdentityCommissioning {

    /** Identity state: key age, certificate subject, issuer and validity, pending rotation. */
    IdentityStatus status();

    /**
     * PKCS#10 request (PEM) for the key that is waiting for a certificate: the pending rotation key if there is
     * one, otherwise the device key (first commissioning, or renewal with the same key).
     */
    String certificationRequest() throws GeneralSecurityException;

    /**
     * Creates a new key pair next to the one in use (which stays in use) and returns its request. Calling it
     * again while the rotation is pending returns the same request, so a request already sent stays good.
     */
    String startRotation() throws GeneralSecurityException, IOException;

    /** Forgets a pending rotation key; the device key in use is not touched. */
    void cancelRotation() throws GeneralSecurityException, IOException;

    /**
     * Validates and installs a signed certificate chain (PEM, device certificate first) and the head-end CA
     * certificate(s) (PEM). Nothing changes unless every check passes.
     *
     * @return one line saying what was installed
     * @throws CertificateRejectedException with the reason when a check fails
     */
    String install(String chainPem, String authorityPem) throws GeneralSecurityException, IOException;
}
