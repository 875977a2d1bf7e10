// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import javax.net.ssl.SSLContext;

import org.eclipse.paho.mqttv5.common.MqttException;

/** Access to the test gateway client for tests in other packages. */
public final class TestClients {

    private TestClients() {
    }

    /** A connected fake gateway that answers commands; close it when done. */
    public static Gateway answeringGateway(String uri, SSLContext tls, String id) throws MqttException {
        return new Gateway(TestClient.answeringCommands(TestClient.connect(uri, tls), id));
    }

    /** A fake gateway handle. */
    public static final class Gateway implements AutoCloseable {
        private final TestClient client;

        Gateway(TestClient client) {
            this.client = client;
        }

        public void publishText(String topic, String json, boolean retained) throws MqttException {
            client.publish(topic, json, retained);
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
