// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.embedded;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;

import org.metergate.api.security.DeviceCommissioning;
import org.metergate.api.security.DeviceIdentity;
import org.metergate.api.security.DeviceServerTls;
import org.metergate.security.internal.DeviceKeystore;

/**
 * One device identity opened by {@link DeviceIdentities}: what the security bundle publishes as
 * {@link DeviceIdentity}, {@link DeviceServerTls} and {@link DeviceCommissioning}, in one object. Every change is
 * written to its directory at once, so there is nothing to close.
 *
 * <p>For embedding the implementation outside OSGi (tests, simulators); not an OSGi API.
 */
public final class EmbeddedIdentity implements DeviceIdentity, DeviceServerTls, DeviceCommissioning {

    private final DeviceKeystore keystore;

    EmbeddedIdentity(DeviceKeystore keystore) {
        this.keystore = keystore;
    }

    @Override
    public String gatewayId() {
        return keystore.gatewayId();
    }

    @Override
    public SSLContext clientTlsContext() throws GeneralSecurityException {
        return keystore.clientTlsContext();
    }

    @Override
    public SSLContext serverTlsContext() throws GeneralSecurityException {
        return keystore.serverTlsContext();
    }

    @Override
    public X509Certificate serverCertificate() {
        return keystore.serverCertificate();
    }

    @Override
    public String certificationRequest() throws GeneralSecurityException {
        return keystore.certificationRequest();
    }

    @Override
    public String install(String chainPem, String authorityPem) throws GeneralSecurityException, IOException {
        return keystore.install(chainPem, authorityPem);
    }

    @Override
    public List<X509Certificate> headendAuthorities() {
        return keystore.headendAuthorities();
    }

    @Override
    public boolean rotationPending() {
        return keystore.rotationPending();
    }

    /**
     * Starts a key rotation: a new key pair waits next to the one in use (which stays in use) and its request is
     * returned; installing the certificate issued for it switches to the new key. While the rotation is pending,
     * calling this again returns a request for the same key, so a request already sent stays good.
     */
    public String startRotation() throws GeneralSecurityException, IOException {
        return keystore.startRotation();
    }

    /** Forgets a pending rotation key; the key in use is not touched. */
    public void cancelRotation() throws GeneralSecurityException, IOException {
        keystore.cancelRotation();
    }

    /** Whether a head-end-signed certificate and CA are installed (before that only the self-signed one exists). */
    public boolean commissioned() {
        return keystore.commissioned();
    }
}
