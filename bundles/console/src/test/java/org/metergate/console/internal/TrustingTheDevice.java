// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.metergate.security.testing.TestHeadendPki;

/** A client TLS context that trusts the console's certificate the way a technician checks it. */
final class TrustingTheDevice {

    private final TestHeadendPki headend;

    TrustingTheDevice(TestHeadendPki headend) {
        this.headend = headend;
    }

    /**
     * What a technician does on first contact: trust the certificate the gateway presents after checking it. Here
     * the check is that the head-end CA issued it for this gateway id; no host name check (the URL is an address).
     * An extended trust manager, so the JDK adds no host name check of its own.
     */
    SSLContext context() throws GeneralSecurityException {
        X509Certificate ca = headend.certificate();
        X509ExtendedTrustManager pin = new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                try {
                    chain[0].verify(ca.getPublicKey());
                } catch (GeneralSecurityException e) {
                    throw new CertificateException("not issued by the head-end CA", e);
                }
                if (!chain[0].getSubjectX500Principal().getName().contains("CN=" + ConsoleServer.GATEWAY_ID)) {
                    throw new CertificateException("not the certificate of " + ConsoleServer.GATEWAY_ID);
                }
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                checkServerTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                checkServerTrusted(chain, authType);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("client side only");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                    throws CertificateException {
                throw new CertificateException("client side only");
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                    throws CertificateException {
                throw new CertificateException("client side only");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {pin}, new SecureRandom());
        return context;
    }
}
