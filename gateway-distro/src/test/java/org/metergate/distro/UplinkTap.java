// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
import org.metergate.headendsim.ContentDecoding;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A second head-end subscriber that keeps count of every copy it receives from one gateway, before any
 * de-duplication (the head-end simulator drops repeats and counts only how many), after inflating readings
 * batches sent gzipped (MQTT contract v1, {@code content-encoding: gzip}): which outbox messages
 * reached the broker, by {@link DeliveryKeys delivery key}, and which of them arrived more than once.
 */
final class UplinkTap implements AutoCloseable {

    private final MqttAsyncClient client;
    private final Map<String, Integer> readingCopies = new HashMap<>();
    private final Map<String, Integer> messageCopies = new HashMap<>();
    private final List<String> unreadable = new ArrayList<>();
    private long publications;

    private UplinkTap(MqttAsyncClient client) {
        this.client = client;
    }

    /** Connects with the head-end's certificate and subscribes to the gateway's readings, events and receipts. */
    static UplinkTap connect(String brokerUri, SSLContext headendTls, String gateway) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(brokerUri, "tap-" + UUID.randomUUID().toString().substring(0, 8),
                new MemoryPersistence());
        UplinkTap tap = new UplinkTap(c);
        c.setCallback(tap.new Callback()); // before connect: Paho drops messages that arrive before it is set
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setSocketFactory(headendTls.getSocketFactory());
        options.setConnectionTimeout(10);
        c.connect(options).waitForCompletion(15_000);
        String root = "mg/v1/" + gateway + "/";
        IMqttToken subscribed = c.subscribe(new MqttSubscription[] {new MqttSubscription(root + "readings", 1),
                new MqttSubscription(root + "events", 1), new MqttSubscription(root + "credit/receipts", 1)});
        subscribed.waitForCompletion(15_000);
        for (int code : subscribed.getReasonCodes()) {
            if (code >= 0x80) {
                throw new IllegalStateException("the broker refused the tap's subscription: reason code 0x"
                        + Integer.toHexString(code));
            }
        }
        return tap;
    }

    private synchronized void record(String topic, byte[] payload, String contentEncoding) {
        publications++;
        notifyAll();
        String text;
        try {
            text = new String(ContentDecoding.decode(contentEncoding, payload, ContentDecoding.MAX_INFLATED_BYTES),
                    StandardCharsets.UTF_8);
        } catch (ContentDecoding.UndecodablePayload e) {
            unreadable.add(topic + ": " + e.getMessage());
            return;
        }
        try {
            JsonObject doc = JsonParser.parseString(text).getAsJsonObject();
            if (topic.endsWith("/readings")) {
                for (JsonElement r : doc.getAsJsonArray("readings")) {
                    readingCopies.merge(r.getAsJsonObject().get("id").getAsString(), 1, Integer::sum);
                }
            } else {
                messageCopies.merge(doc.get("msgId").getAsString(), 1, Integer::sum);
            }
        } catch (RuntimeException e) {
            // never thrown at Paho (it would drop the connection): the test asserts this list is empty
            unreadable.add(topic + ": " + text);
        }
    }

    /** Messages without the ids the contract promises (should be none). */
    synchronized List<String> unreadable() {
        return new ArrayList<>(unreadable);
    }

    /** Delivery keys of the outbox messages received at least once. */
    synchronized Set<String> deliveredKeys() {
        Set<String> keys = new HashSet<>(messageCopies.keySet());
        readingCopies.keySet().forEach(id -> keys.add(DeliveryKeys.readoutOfReadingId(id)));
        return keys;
    }

    /** Delivery keys of the outbox messages of which some part was received more than once. */
    synchronized Set<String> repeatedKeys() {
        Set<String> keys = new HashSet<>();
        messageCopies.forEach((id, n) -> {
            if (n > 1) {
                keys.add(id);
            }
        });
        readingCopies.forEach((id, n) -> {
            if (n > 1) {
                keys.add(DeliveryKeys.readoutOfReadingId(id));
            }
        });
        return keys;
    }

    /** Distinct reading ids received. */
    synchronized int distinctReadings() {
        return readingCopies.size();
    }

    /** Reading copies received, repeats included. */
    synchronized long readingCopies() {
        return readingCopies.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** MQTT messages received, repeats included. */
    synchronized long publications() {
        return publications;
    }

    /** Waits until at least {@code count} MQTT messages were received in all. */
    synchronized void awaitPublications(long count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (publications < count) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the tap received " + publications + " messages within " + timeout
                        + ", expected " + count);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            // broker gone already
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to release
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            String encoding = null;
            MqttProperties p = message.getProperties();
            for (UserProperty u : p == null ? List.<UserProperty>of() : p.getUserProperties()) {
                if (ContentDecoding.PROPERTY.equals(u.getKey())) {
                    encoding = u.getValue();
                }
            }
            record(topic, message.getPayload(), encoding);
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
