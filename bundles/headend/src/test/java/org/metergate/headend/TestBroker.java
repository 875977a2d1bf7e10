// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.io.IOException;
import java.net.ServerSocket;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * Embedded ActiveMQ Artemis speaking MQTT 5 on 127.0.0.1: a mutual-TLS acceptor and, optionally, a
 * plaintext one. In memory only; {@link #restart()} brings a fresh broker up on the same ports.
 */
final class TestBroker implements AutoCloseable {

    final int tlsPort;
    final int plainPort;
    private final TestPki pki;
    private EmbeddedActiveMQ server;

    TestBroker(TestPki pki, boolean withPlaintext) throws Exception {
        this.pki = pki;
        this.tlsPort = freePort();
        this.plainPort = withPlaintext ? freePort() : -1;
    }

    TestBroker start() throws Exception {
        ConfigurationImpl cfg = new ConfigurationImpl();
        cfg.setPersistenceEnabled(false);
        cfg.setJMXManagementEnabled(false);
        cfg.setSecurityEnabled(false);
        cfg.setMaxDiskUsage(-1);
        cfg.addAddressSetting("#", new AddressSettings().setDeadLetterAddress(SimpleString.of("DLA"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue")));
        cfg.setMqttSessionScanInterval(100); // wills with a delay are sent by this scan
        cfg.addAcceptorConfiguration("mqtt-tls", "tcp://127.0.0.1:" + tlsPort + "?protocols=MQTT;sslEnabled=true"
                + ";keyStorePath=" + pki.serverKeystore + ";keyStorePassword=" + new String(TestPki.PASSWORD)
                + ";keyStoreType=PKCS12;trustStorePath=" + pki.truststore + ";trustStorePassword="
                + new String(TestPki.PASSWORD) + ";trustStoreType=PKCS12;needClientAuth=true");
        if (plainPort > 0) {
            cfg.addAcceptorConfiguration("mqtt-plain", "tcp://127.0.0.1:" + plainPort + "?protocols=MQTT");
        }
        EmbeddedActiveMQ s = new EmbeddedActiveMQ();
        s.setConfiguration(cfg);
        s.start();
        server = s;
        return this;
    }

    String tlsUri() {
        return "ssl://127.0.0.1:" + tlsPort;
    }

    String plainUri() {
        return "tcp://127.0.0.1:" + plainPort;
    }

    void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    void restart() throws Exception {
        stop();
        start();
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (Exception e) {
            throw new IllegalStateException("broker did not stop", e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
