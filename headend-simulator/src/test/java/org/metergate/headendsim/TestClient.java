// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A bare Paho v5 client standing in for a gateway: records what it receives, publishes what a test says. */
final class TestClient implements AutoCloseable {

    record Received(String topic, String payload, boolean retained, MqttProperties properties) {
    }

    static final long WAIT_MS = 10_000;

    final MqttAsyncClient client;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    volatile Consumer<Received> onMessage = r -> { };

    private TestClient(String uri) throws MqttException {
        client = new MqttAsyncClient(uri, "test-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage m) {
                Received r = new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained(),
                        m.getProperties());
                received.add(r);
                onMessage.accept(r);
            }

            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void deliveryComplete(IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int code, MqttProperties p) {
            }
        });
    }

    static TestClient connect(String uri, SSLContext tls) throws MqttException {
        return connect(uri, tls, o -> { });
    }

    static TestClient connect(String uri, SSLContext tls, Consumer<MqttConnectionOptions> options) throws MqttException {
        TestClient c = new TestClient(uri);
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setConnectionTimeout(5);
        if (tls != null) {
            o.setSocketFactory(tls.getSocketFactory());
        }
        options.accept(o);
        try {
            c.client.connect(o).waitForCompletion(WAIT_MS);
        } catch (MqttException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Subscribes and returns the SUBACK reason codes. */
    int[] subscribe(String... filters) throws MqttException {
        MqttSubscription[] subs = new MqttSubscription[filters.length];
        for (int i = 0; i < filters.length; i++) {
            subs[i] = new MqttSubscription(filters[i], 1);
        }
        IMqttToken t = client.subscribe(subs);
        t.waitForCompletion(WAIT_MS);
        return t.getReasonCodes();
    }

    /** Publishes at QoS 1 and returns the PUBACK reason code (0 = success). */
    int publish(String topic, String payload, boolean retained) throws MqttException {
        return publish(topic, payload, retained, new MqttProperties());
    }

    int publish(String topic, String payload, boolean retained, MqttProperties p) throws MqttException {
        return publish(topic, payload.getBytes(StandardCharsets.UTF_8), retained, p);
    }

    int publish(String topic, byte[] payload, boolean retained, MqttProperties p) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        m.setRetained(retained);
        m.setProperties(p);
        IMqttToken t = client.publish(topic, m);
        t.waitForCompletion(WAIT_MS);
        int[] codes = t.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    Received next() throws InterruptedException {
        Received r = received.poll(WAIT_MS, TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("nothing received within " + Duration.ofMillis(WAIT_MS));
        }
        return r;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1_000).waitForCompletion(2_000);
            }
        } catch (MqttException e) {
            // broker already gone
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing to release
        }
    }

    /** A tiny gateway that answers cmd/get-status and cmd/read-now like the real link does. */
    static TestClient answeringCommands(TestClient gw, String id) throws MqttException {
        gw.onMessage = r -> {
            String name = r.topic().substring(r.topic().lastIndexOf('/') + 1);
            com.google.gson.JsonObject req = com.google.gson.JsonParser.parseString(r.payload()).getAsJsonObject();
            com.google.gson.JsonObject resp = new com.google.gson.JsonObject();
            resp.addProperty("schema", "cmd-response/v1");
            resp.addProperty("msgId", java.util.UUID.randomUUID().toString());
            resp.addProperty("command", name);
            resp.addProperty("requestMsgId", req.get("msgId").getAsString());
            com.google.gson.JsonObject result = new com.google.gson.JsonObject();
            switch (name) {
                case "get-status" -> result.addProperty("gateway", id);
                case "read-now" -> result.addProperty("meter", req.get("meter").getAsString());
                default -> result = null;
            }
            resp.addProperty("ok", result != null);
            if (result != null) {
                resp.add("result", result);
            } else {
                com.google.gson.JsonObject error = new com.google.gson.JsonObject();
                error.addProperty("code", "unknown-command");
                error.addProperty("message", "no command " + name);
                resp.add("error", error);
            }
            MqttProperties p = new MqttProperties();
            p.setCorrelationData(r.properties().getCorrelationData());
            p.setContentType("application/json");
            try {
                // asynchronous: never wait for completion on Paho's callback thread
                org.eclipse.paho.mqttv5.common.MqttMessage m = new org.eclipse.paho.mqttv5.common.MqttMessage(
                        resp.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                m.setQos(1);
                m.setProperties(p);
                gw.client.publish(r.properties().getResponseTopic(), m);
            } catch (MqttException e) {
                throw new IllegalStateException(e);
            }
        };
        gw.subscribe("mg/v1/" + id + "/cmd/+");
        return gw;
    }
}
