// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.metergate.security.testing.TestHeadendPki;

/**
 * The console as it runs in the gateway, outside OSGi: the real servlet and the real console connector on a Jetty
 * server that also has a second, plain connector (as Felix's own one), HTTPS with a commissioned device keystore.
 */
final class ConsoleServer implements AutoCloseable {

    /** Low for test speed; {@link CredentialsTest} checks the production count. */
    static final int TEST_ITERATIONS = 1_000;
    static final String GATEWAY_ID = "gw-7";

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
    final Path directory;
    final Credentials credentials;
    final TestHeadendPki headend;
    private final Server server;
    private final ServerConnector console;
    private final ServerConnector other;
    private final boolean secure;

    ConsoleServer(Path temp, boolean developmentHttp, Supplier<GatewayStatus> status) throws Exception {
        this(temp, developmentHttp, status, List.of());
    }

    ConsoleServer(Path temp, boolean developmentHttp, Supplier<GatewayStatus> status, List<ConsoleSection> sections)
            throws Exception {
        ConsoleSettings settings = new ConsoleSettings(8443, "127.0.0.1", developmentHttp, Duration.ofMinutes(15),
                Duration.ofHours(8), 5, Duration.ofSeconds(30));
        SecureRandom random = new SecureRandom();
        directory = temp.resolve("data").resolve(ConsoleDirectory.NAME);
        credentials = Credentials.open(new OwnerOnlyFiles(directory), new PasswordHash(random, TEST_ITERATIONS),
                new SetupCodes(random));
        headend = new TestHeadendPki("Head-end CA");
        SSLContext tls = developmentHttp ? null
                : headend.commission(temp.resolve("security"), GATEWAY_ID).clientTlsContext();
        secure = !developmentHttp;

        ConsoleServlet servlet = new ConsoleServlet(credentials,
                new Sessions(clock, random, settings.sessionIdle(), settings.sessionMax()),
                new LoginThrottle(clock, settings.failuresBeforeLockout(), settings.lockout()), status, secure,
                sections);
        server = new Server(new QueuedThreadPool(16, 4));
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.addServlet(new ServletHolder(servlet), "/*");
        server.setHandler(context);
        other = new ServerConnector(server, 1, 1);
        other.setHost("127.0.0.1");
        other.setPort(0);
        server.addConnector(other);
        console = (ServerConnector) new ConsoleConnectorFactory(settings, tls, 0).createConnector(server);
        server.addConnector(console);
        server.start();
    }

    URI uri() {
        return URI.create((secure ? "https" : "http") + "://127.0.0.1:" + console.getLocalPort() + "/");
    }

    URI otherConnectorUri() {
        return URI.create("http://127.0.0.1:" + other.getLocalPort() + "/");
    }

    String consoleHost() {
        return console.getHost();
    }

    Browser browser() throws GeneralSecurityException {
        return new Browser(uri(), secure ? trustingTheDevice() : null);
    }

    SSLContext trustingTheDevice() throws GeneralSecurityException {
        return new TrustingTheDevice(headend).context();
    }

    String setupCode() {
        return credentials.setupCode().orElseThrow();
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
