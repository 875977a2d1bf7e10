// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.metergate.security.embedded.DeviceIdentities;
import org.metergate.security.embedded.EmbeddedIdentity;

/**
 * The console served with the device key's server context from a keystore that is not commissioned yet (as on a
 * gateway fresh out of the box), with the sections a test passes. Browsers pin the certificate a technician checked.
 */
final class PinnedConsole implements AutoCloseable {

    static final String PASSWORD = "meter-room-42";

    final EmbeddedIdentity identity;
    final Credentials credentials;
    private final Server server;
    private final ServerConnector console;

    PinnedConsole(Path temp, List<ConsoleSection> sections) throws Exception {
        ConsoleSettings settings = new ConsoleSettings(8443, "127.0.0.1", false, Duration.ofMinutes(15),
                Duration.ofHours(8), 5, Duration.ofSeconds(30));
        SecureRandom random = new SecureRandom();
        identity = DeviceIdentities.open(temp.resolve("security"), ConsoleServer.GATEWAY_ID);
        credentials = Credentials.open(new OwnerOnlyFiles(temp.resolve("data").resolve(ConsoleDirectory.NAME)),
                new PasswordHash(random, ConsoleServer.TEST_ITERATIONS), new SetupCodes(random));
        Clock clock = Clock.systemUTC();
        ConsoleServlet servlet = new ConsoleServlet(credentials,
                new Sessions(clock, random, settings.sessionIdle(), settings.sessionMax()),
                new LoginThrottle(clock, settings.failuresBeforeLockout(), settings.lockout()),
                () -> new GatewayStatus(clock.instant(), ConsoleServer.GATEWAY_ID, "0.1.0", Duration.ofMinutes(1),
                        StatusCollector.LINK_NOT_REPORTED, null, List.of(), Map.of(), List.of()),
                true, sections);
        server = new Server(new QueuedThreadPool(16, 4));
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(servlet), "/*");
        server.setHandler(context);
        console = (ServerConnector) new ConsoleConnectorFactory(settings, identity.serverTlsContext(), 0)
                .createConnector(server);
        server.addConnector(console);
        server.start();
    }

    URI uri() {
        return URI.create("https://127.0.0.1:" + console.getLocalPort() + "/");
    }

    /** A new client (so a new TLS connection) that accepts only {@code expected}. */
    Browser browserPinning(X509Certificate expected) throws Exception {
        return new Browser(uri(), pinning(expected));
    }

    /** A client that has set the console password with the setup code and is logged in. */
    Browser loggedIn() throws Exception {
        Browser browser = browserPinning(identity.serverCertificate());
        String form = Browser.hidden(browser.get("/setup").body(), "form");
        var done = browser.post("/setup", Map.of("form", form, "code", credentials.setupCode().orElseThrow(),
                "password", PASSWORD, "confirm", PASSWORD));
        if (done.statusCode() != 303) {
            throw new AssertionError("first visit failed: " + done.statusCode() + " " + done.body());
        }
        return browser;
    }

    static SSLContext pinning(X509Certificate expected) throws Exception {
        X509ExtendedTrustManager pin = new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                if (!chain[0].equals(expected)) {
                    throw new CertificateException("not the certificate the technician checked: "
                            + chain[0].getSubjectX500Principal() + " from " + chain[0].getIssuerX500Principal());
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

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the test server did not stop", e);
        }
    }
}
