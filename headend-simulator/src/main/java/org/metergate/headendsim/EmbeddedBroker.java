// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Objects;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;

/**
 * An ActiveMQ Artemis MQTT 5 broker in this JVM, bound to 127.0.0.1, in memory only (no journal, no JMX).
 * By default it speaks mutual TLS only and confines each gateway, named by its certificate CN, to
 * {@code mg/v1/<cn>/#}; the head-end CN ({@link Pki#HEADEND_CN}) may use all of {@code mg/v1/#}.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.mutualTls(pki).build().start()) {
 *     connect(broker.uri(), pki.sslContext(pki.identityFor("gw1")));
 * }
 * }</pre>
 *
 * {@link #restart()} stops the broker and starts a fresh one on the same port (all sessions and retained
 * messages are gone, as after a real broker outage without persistence).
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final Tls tls;
    private final int port;
    private final int plaintextPort;
    private final String headendCn;
    private EmbeddedActiveMQ server;

    /** Key material for the TLS acceptor: PKCS12 server key store and a trust store with the client CA. */
    public record Tls(Path keystore, Path truststore, char[] password) {
        public Tls {
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(truststore, "truststore");
            Objects.requireNonNull(password, "password");
        }
    }

    /** Settings for a broker; nothing starts before {@link EmbeddedBroker#start()}. */
    public static final class Builder {
        private final Tls tls;
        private int port;
        private int plaintextPort = -1;
        private String headendCn = Pki.HEADEND_CN;

        private Builder(Tls tls) {
            this.tls = tls;
        }

        /** TCP port of the main acceptor; 0 (the default) picks a free one now and keeps it across restarts. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Adds a plaintext MQTT acceptor beside the TLS one (0 = free port), for development and link tests.
         * Clients there present no certificate and get head-end rights: never expose it beyond loopback.
         */
        public Builder alsoInsecurePlaintext(int port) {
            this.plaintextPort = port;
            return this;
        }

        /** The certificate CN that gets head-end rights (default {@value Pki#HEADEND_CN}). */
        public Builder headendCn(String cn) {
            this.headendCn = Objects.requireNonNull(cn);
            return this;
        }

        public EmbeddedBroker build() throws IOException {
            int main = port == 0 ? freePort() : port;
            int plain = plaintextPort == 0 ? freePort() : plaintextPort;
            if (tls == null && plain > 0) {
                throw new IllegalArgumentException("the broker is plaintext already; alsoInsecurePlaintext is for TLS brokers");
            }
            return new EmbeddedBroker(tls, main, plain, headendCn);
        }
    }

    private EmbeddedBroker(Tls tls, int port, int plaintextPort, String headendCn) {
        this.tls = tls;
        this.port = port;
        this.plaintextPort = plaintextPort;
        this.headendCn = headendCn;
    }

    /** Mutual TLS with the broker identity and CA of {@code pki}. */
    public static Builder mutualTls(Pki pki) throws IOException, java.security.GeneralSecurityException {
        return new Builder(new Tls(pki.broker().keystore(), pki.truststore(), pki.password()));
    }

    /** Mutual TLS with the given key stores. */
    public static Builder mutualTls(Tls tls) {
        return new Builder(Objects.requireNonNull(tls, "tls"));
    }

    /** Plaintext MQTT without authentication or authorization: development only, loopback only. */
    public static Builder insecurePlaintext() {
        return new Builder(null);
    }

    /** Starts the broker; returns {@code this}. Fails with a clear message if the port is taken. */
    public synchronized EmbeddedBroker start() throws Exception {
        if (server != null) {
            return this;
        }
        ConfigurationImpl cfg = new ConfigurationImpl();
        cfg.setName("metergate-headend-simulator");
        cfg.setPersistenceEnabled(false);
        cfg.setJMXManagementEnabled(false);
        cfg.setMaxDiskUsage(-1);
        cfg.setMqttSessionScanInterval(100); // delayed wills are sent by this scan
        cfg.addAddressSetting("#", new AddressSettings().setDeadLetterAddress(SimpleString.of("DLA"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue")));
        cfg.setSecurityEnabled(tls != null);
        if (tls != null) {
            String pw = new String(tls.password());
            cfg.addAcceptorConfiguration("mqtt-tls", "tcp://127.0.0.1:" + port + "?protocols=MQTT;sslEnabled=true"
                    + ";keyStorePath=" + tls.keystore().toAbsolutePath() + ";keyStorePassword=" + pw
                    + ";keyStoreType=PKCS12;trustStorePath=" + tls.truststore().toAbsolutePath()
                    + ";trustStorePassword=" + pw + ";trustStoreType=PKCS12;needClientAuth=true");
            if (plaintextPort > 0) {
                cfg.addAcceptorConfiguration("mqtt-plain", "tcp://127.0.0.1:" + plaintextPort + "?protocols=MQTT");
            }
        } else {
            cfg.addAcceptorConfiguration("mqtt-plain", "tcp://127.0.0.1:" + port + "?protocols=MQTT");
        }
        EmbeddedActiveMQ s = new EmbeddedActiveMQ();
        s.setConfiguration(cfg);
        if (tls != null) {
            s.setSecurityManager(new GatewayTopicAuthorizer(headendCn));
        }
        try {
            s.start();
        } catch (Exception e) {
            try {
                s.stop();
            } catch (Exception ignored) {
                // half-started: nothing more to release
            }
            throw new IOException("the MQTT broker did not start on 127.0.0.1:" + port
                    + " (is another broker using the port? choose another with --port): " + e.getMessage(), e);
        }
        // Artemis logs a failed bind and carries on without the acceptor: check that every one is listening
        var acceptors = s.getActiveMQServer().getRemotingService().getAcceptors();
        if (!s.getActiveMQServer().isActive() || acceptors.size() != cfg.getAcceptorConfigurations().size()
                || !acceptors.values().stream().allMatch(a -> a.isStarted())) {
            s.stop();
            throw new IOException("the MQTT broker could not listen on 127.0.0.1:" + port
                    + (plaintextPort > 0 ? " and " + plaintextPort : "")
                    + ": is another process using the port? choose another with --port");
        }
        server = s;
        return this;
    }

    /** Stops the broker; connected clients lose their connection without DISCONNECT. */
    public synchronized void stop() throws Exception {
        if (server != null) {
            EmbeddedActiveMQ s = server;
            server = null;
            s.stop();
        }
    }

    /** Stop, then a new broker on the same port(s): for outage tests. */
    public synchronized EmbeddedBroker restart() throws Exception {
        stop();
        return start();
    }

    /**
     * Cuts the connection of MQTT client {@code clientId} from the broker side without DISCONNECT, as if its
     * network link had died: the broker then publishes the client's will. Returns whether it was connected.
     */
    public synchronized boolean dropClient(String clientId) {
        if (server == null) {
            return false;
        }
        boolean found = false;
        for (RemotingConnection c : server.getActiveMQServer().getRemotingService().getConnections()) {
            if (clientId.equals(c.getClientID())) {
                c.fail(new ActiveMQException("connection cut by the head-end simulator (link failure test)"));
                found = true;
            }
        }
        return found;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public int port() {
        return port;
    }

    public boolean isMutualTls() {
        return tls != null;
    }

    /** Paho URI of the main acceptor: {@code ssl://127.0.0.1:port} or {@code tcp://...} when plaintext. */
    public String uri() {
        return (tls != null ? "ssl" : "tcp") + "://127.0.0.1:" + port;
    }

    /** Paho URI of the extra plaintext acceptor; fails if none was configured. */
    public String plaintextUri() {
        if (tls == null) {
            return uri();
        }
        if (plaintextPort <= 0) {
            throw new IllegalStateException("this broker has no plaintext acceptor (see Builder.alsoInsecurePlaintext)");
        }
        return "tcp://127.0.0.1:" + plaintextPort;
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (Exception e) {
            throw new IllegalStateException("the embedded broker did not stop cleanly: " + e.getMessage(), e);
        }
    }

    /** A port that was free a moment ago on 127.0.0.1. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
