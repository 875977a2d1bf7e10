// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.security;

import java.security.GeneralSecurityException;

import javax.net.ssl.SSLContext;

/**
 * The gateway's own identity: its id and the TLS context for mutual TLS to the head-end broker. The
 * private key stays inside the security bundle's keystore; callers only get an SSLContext.
 */
public interface DeviceIdentity {

    /** Gateway id, {@code [A-Za-z0-9_-]+}, also the CN of the device certificate. */
    String gatewayId();

    /**
     * A TLS 1.2+ client context presenting the device certificate and trusting only the installed head-end CA.
     *
     * @throws GeneralSecurityException when no signed certificate or CA is installed yet; the message says
     *                                  which step of commissioning is missing
     */
    SSLContext clientTlsContext() throws GeneralSecurityException;
}
