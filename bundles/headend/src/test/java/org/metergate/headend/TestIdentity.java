// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.security.GeneralSecurityException;

import javax.net.ssl.SSLContext;

import org.metergate.api.security.DeviceIdentity;

/** Device identity over a test certificate; {@link #paused} lets a test hold the link back from connecting. */
final class TestIdentity implements DeviceIdentity {

    private final String gatewayId;
    private final SSLContext context;
    volatile boolean paused;
    final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

    TestIdentity(String gatewayId, SSLContext context) {
        this.gatewayId = gatewayId;
        this.context = context;
    }

    @Override
    public String gatewayId() {
        return gatewayId;
    }

    @Override
    public SSLContext clientTlsContext() throws GeneralSecurityException {
        attempts.incrementAndGet();
        if (paused) {
            throw new GeneralSecurityException("test holds the connection back");
        }
        if (context == null) {
            throw new GeneralSecurityException("no device certificate installed yet: run commissioning");
        }
        return context;
    }
}
