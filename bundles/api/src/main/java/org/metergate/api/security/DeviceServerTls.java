// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.security;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;

/**
 * The device key on the server side of TLS, for the technician console. Published by the same bundle as
 * {@link DeviceIdentity}; the private key stays inside it.
 */
public interface DeviceServerTls {

    /**
     * A TLS 1.3/1.2 server context presenting the device key: with the head-end-signed certificate chain once it is
     * installed, and before commissioning with the self-signed certificate created for the key at first start. It
     * follows the keystore: every new handshake presents the key and certificate in use at that moment, so an
     * installed or rotated certificate needs no restart. It asks for no client certificate.
     *
     * @throws GeneralSecurityException when the keystore cannot be read
     */
    SSLContext serverTlsContext() throws GeneralSecurityException;

    /** The certificate a new handshake presents now (its fingerprint lets a technician check the browser's warning). */
    X509Certificate serverCertificate();
}
