// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.security.GeneralSecurityException;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import org.metergate.api.security.DeviceIdentity;

/**
 * Waits for the device certificate: each {@link #attempt()} asks the identity for its TLS context and, the first time
 * it gets one, hands it to {@code serve}. The component calls it at start and then every few seconds until it
 * succeeds, so the console comes up by itself after {@code mg:install-cert}.
 */
final class CertificateWait {

    private final DeviceIdentity identity;
    private final Consumer<SSLContext> serve;
    private final Consumer<String> waiting;
    private boolean served;
    private boolean told;

    /** @param waiting told once, with the reason, when the first attempt finds no certificate */
    CertificateWait(DeviceIdentity identity, Consumer<SSLContext> serve, Consumer<String> waiting) {
        this.identity = identity;
        this.serve = serve;
        this.waiting = waiting;
    }

    /** True once the console is served. */
    synchronized boolean attempt() {
        if (served) {
            return true;
        }
        SSLContext tls;
        try {
            tls = identity.clientTlsContext();
        } catch (GeneralSecurityException e) {
            if (!told) {
                told = true;
                waiting.accept(e.getMessage());
            }
            return false;
        }
        serve.accept(tls);
        served = true;
        return true;
    }
}
