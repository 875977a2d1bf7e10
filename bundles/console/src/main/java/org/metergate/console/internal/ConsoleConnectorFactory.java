// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import javax.net.ssl.SSLContext;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The console's own Jetty connector, added to Felix's Jetty server: HTTPS with the device key and certificate (TLS 1.3
 * and 1.2 only, no renegotiation, no client certificate asked), or plain HTTP on 127.0.0.1 in development mode. Each
 * request it accepts is marked, so the console answers nothing that arrives through any other connector.
 */
final class ConsoleConnectorFactory implements ConnectorFactory {

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final ConsoleSettings settings;
    private final SSLContext tls;
    private final int port;

    /**
     * @param tls  the server context, null only in development mode
     * @param port the port to bind, normally {@code settings.port()}; tests pass 0 for a free one
     */
    ConsoleConnectorFactory(ConsoleSettings settings, SSLContext tls, int port) {
        if (tls == null && !settings.developmentHttp()) {
            throw new IllegalArgumentException("HTTPS needs the device TLS context");
        }
        this.settings = settings;
        this.tls = tls;
        this.port = port;
    }

    @Override
    public Connector createConnector(Server server) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(true);
        http.addCustomizer((connector, configuration, request) ->
                request.setAttribute(ConsoleServlet.CONNECTOR_ATTRIBUTE, Boolean.TRUE));
        ServerConnector connector;
        if (settings.developmentHttp()) {
            connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        } else {
            http.setSecureScheme("https");
            http.setSecurePort(port);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false); // technicians type the gateway's IP address; the certificate names its id
            http.addCustomizer(secure);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(tls);
            ssl.setIncludeProtocols(PROTOCOLS);
            ssl.setRenegotiationAllowed(false);
            ssl.setNeedClientAuth(false);
            ssl.setWantClientAuth(false);
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(http));
        }
        connector.setName("metergate-console");
        connector.setHost(settings.bindAddress());
        connector.setPort(port);
        connector.setIdleTimeout(30_000);
        return connector;
    }
}
