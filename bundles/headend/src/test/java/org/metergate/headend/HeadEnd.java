// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

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
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * The head-end side for tests: records everything it receives, sends commands and tokens. A payload with the user
 * property {@code content-encoding: gzip} is inflated as the contract says, so {@code payload} is always the JSON.
 */
final class HeadEnd implements AutoCloseable {

    /**
     * @param contentEncoding the {@code content-encoding} user property, or null
     * @param utf8 the payload format indicator (true: UTF-8 text)
     * @param wireBytes the payload's size as published
     */
    record Received(String topic, String payload, boolean retained, String contentType, byte[] correlationData,
            String contentEncoding, boolean utf8, int wireBytes) {
    }

    private final MqttAsyncClient client;
    private final List<Received> received = new ArrayList<>();

    HeadEnd(String uri, SSLContext tls) throws MqttException {
        client = new MqttAsyncClient(uri, "headend-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                MqttProperties p = m.getProperties();
                String encoding = p == null ? null : p.getUserProperties().stream()
                        .filter(u -> u.getKey().equals("content-encoding")).map(UserProperty::getValue).findFirst()
                        .orElse(null);
                Received r = new Received(topic, new String(decoded(encoding, m.getPayload()), StandardCharsets.UTF_8),
                        m.isRetained(), p == null ? null : p.getContentType(), p == null ? null : p.getCorrelationData(),
                        encoding, p != null && p.getPayloadFormat(), m.getPayload().length);
                synchronized (received) {
                    received.add(r);
                    received.notifyAll();
                }
            }

            @Override
            public void deliveryComplete(IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int code, MqttProperties p) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        if (tls != null) {
            o.setSocketFactory(tls.getSocketFactory());
        }
        client.connect(o).waitForCompletion(10_000);
    }

    private static byte[] decoded(String encoding, byte[] payload) {
        if (encoding == null) {
            return payload;
        }
        if (!encoding.equals("gzip")) {
            throw new AssertionError("unknown content-encoding " + encoding);
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(payload))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("a gzip payload does not inflate", e);
        }
    }

    HeadEnd subscribe(String... filters) throws MqttException {
        MqttSubscription[] subs = new MqttSubscription[filters.length];
        for (int i = 0; i < filters.length; i++) {
            subs[i] = new MqttSubscription(filters[i], 1);
        }
        client.subscribe(subs).waitForCompletion(10_000);
        return this;
    }

    void publish(String topic, String payload, String responseTopic, byte[] correlation) throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        MqttProperties p = new MqttProperties();
        p.setContentType("application/json");
        if (responseTopic != null) {
            p.setResponseTopic(responseTopic);
        }
        if (correlation != null) {
            p.setCorrelationData(correlation);
        }
        m.setProperties(p);
        client.publish(topic, m).waitForCompletion(10_000);
    }

    /** Waits for the first message (in arrival order) that matches. */
    Received await(Predicate<Received> match, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (true) {
                for (Received r : received) {
                    if (match.test(r)) {
                        return r;
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching message within " + timeout + "; received: " + received);
                }
                received.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Waits until {@code done} holds for everything received so far. */
    List<Received> awaitAll(Predicate<List<Received>> done, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (!done.test(received)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("condition not met within " + timeout + "; received " + received.size());
                }
                received.wait(Math.max(1, left / 1_000_000));
            }
            return new ArrayList<>(received);
        }
    }

    List<Received> received() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    static Predicate<Received> on(String topic) {
        return r -> r.topic().equals(topic);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(2_000);
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
}
