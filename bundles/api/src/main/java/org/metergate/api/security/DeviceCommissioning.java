// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.security;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Commissioning of the device identity, for the technician console: the certification request to send to the
 * head-end CA and the installation of the certificate it returns. Published by the same bundle as
 * {@link DeviceIdentity}; the private keys stay inside it.
 */
public interface DeviceCommissioning {

    /**
     * PKCS#10 request (PEM, subject CN = gateway id) for the key that is waiting for a certificate: the pending
     * rotation key if there is one, otherwise the device key (first commissioning, or renewal with the same key).
     *
     * @throws GeneralSecurityException when the keystore cannot be used
     */
    String certificationRequest() throws GeneralSecurityException;

    /**
     * Validates and installs a signed certificate chain (PEM, device certificate first, then intermediates) and the
     * head-end CA certificate(s) (PEM). Nothing changes unless every check passes: the key matches the device key
     * (or the pending rotation key), the certificates are valid now, the chain verifies up to the CA, the CN is the
     * gateway id, and the certificate allows TLS client authentication.
     *
     * @return one line saying what was installed
     * @throws GeneralSecurityException when a check fails; the message says which one and what to do
     * @throws IOException              when the keystore cannot be written (nothing changed)
     */
    String install(String chainPem, String authorityPem) throws GeneralSecurityException, IOException;

    /** The installed head-end CA certificates; empty before commissioning. */
    List<X509Certificate> headendAuthorities();

    /** Whether a rotation key waits for its certificate (the request is then for that key). */
    boolean rotationPending();
}
