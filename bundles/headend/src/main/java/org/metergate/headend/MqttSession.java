// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * One MQTT connection: a fresh Paho client with memory persistence, the in-flight window and the
 * connection's fate. When it is lost the whole object is dropped and a new one is built; nothing
 * carries over in Paho, because the outbox is what gets resent.
 */
final class MqttSession implements MqttCallback {

    static final String JSON = "application/json";

    /** What the link does with the session's events; called on Paho's threads, must not block long. */
    interface Events {
        void delivered(MqttSession session, Publication publication);

        void lost(MqttSession session, String reason);

        void arrived(MqttSession session, String topic, MqttMessage message);
    }

    private final MqttAsyncClient client;
    private final Semaphore window;
    private final Events events;
    private final String brokerUri;
    private volatile boolean alive = true;
    private volatile String lostReason;
    private volatile boolean deliveredAny;

    MqttSession(MqttAsyncClient client, int window, Events events, String brokerUri) {
        this.client = client;
        this.window = new Semaphore(window);
        this.events = events;
        this.brokerUri = brokerUri;
        client.setCallback(this); // before connect(): per-subscription listeners are unreliable (paho #826)
    }

    MqttAsyncClient client() {
        return client;
    }

    boolean alive() {
        return alive && client.isConnected();
    }

    String lostReason() {
        return lostReason;
    }

    /** Whether the broker has acknowledged at least one outbox publication on this connection. */
    boolean deliveredAny() {
        return deliveredAny;
    }

    boolean acquire(long timeoutMs) throws InterruptedException {
        return window.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS);
    }

    void release() {
        window.release();
    }

    /** Waits until no publish awaits its PUBACK, at most {@code timeoutMs}; used before a clean shutdown. */
    boolean awaitIdle(int windowSize, long timeoutMs) throws InterruptedException {
        if (window.tryAcquire(windowSize, timeoutMs, TimeUnit.MILLISECONDS)) {
            window.release(windowSize);
            return true;
        }
        return false;
    }

    void subscribe(String[] topics, long timeoutMs) throws MqttException {
        MqttSubscription[] subs = new MqttSubscription[topics.length];
        for (int i = 0; i < topics.length; i++) {
            subs[i] = new MqttSubscription(topics[i], 1);
        }
        IMqttToken t = client.subscribe(subs);
        t.waitForCompletion(timeoutMs);
        int[] codes = t.getReasonCodes();
        if (codes != null) {
            for (int i = 0; i < codes.length; i++) {
                if (codes[i] >= 0x80) {
                    throw new MqttException(codes[i]);
                }
            }
        }
    }

    /** Publishes with QoS 1; the window permit taken by the caller is released when the broker answers. */
    void publish(String topic, Publication p, boolean retained) throws MqttException {
        client.publish(topic, message(p.payload(), retained, null, p.contentEncoding()), null, new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                window.release();
                int code = firstError(token.getReasonCodes());
                if (code >= 0) {
                    markLost("broker refused message " + p.msgId() + " on " + topic + " (reason 0x"
                            + Integer.toHexString(code) + "); it stays in the outbox. Check the broker's ACL for "
                            + "this gateway");
                } else {
                    deliveredAny = true;
                    events.delivered(MqttSession.this, p);
                }
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                window.release();
                markLost("publish of " + p.msgId() + " failed: " + ErrorText.describe(brokerUri, e));
            }
        });
    }

    /** Fire-and-forget QoS 1 publish for things that are not in the outbox (birth, command responses). */
    void publishDirect(String topic, byte[] payload, boolean retained, byte[] correlationData,
            MqttActionListener listener) throws MqttException {
        client.publish(topic, message(payload, retained, correlationData), null, listener);
    }

    static MqttMessage message(byte[] payload, boolean retained, byte[] correlationData) {
        return message(payload, retained, correlationData, null);
    }

    /**
     * A QoS 1 message whose content type is JSON; with a {@code contentEncoding} the payload is that coding of the
     * JSON document, so it is not marked UTF-8 (payload format indicator 0) and carries the MQTT 5 user property
     * {@value ReadingsCompression#PROPERTY} naming the coding.
     */
    static MqttMessage message(byte[] payload, boolean retained, byte[] correlationData, String contentEncoding) {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        m.setRetained(retained);
        MqttProperties props = new MqttProperties();
        props.setContentType(JSON);
        props.setPayloadFormat(contentEncoding == null);
        if (contentEncoding != null) {
            List<UserProperty> user = new ArrayList<>();
            user.add(new UserProperty(ReadingsCompression.PROPERTY, contentEncoding));
            props.setUserProperties(user);
        }
        if (correlationData != null) {
            props.setCorrelationData(correlationData);
        }
        m.setProperties(props);
        return m;
    }

    private static int firstError(int[] codes) {
        if (codes != null) {
            for (int c : codes) {
                if (c >= 0x80) {
                    return c;
                }
            }
        }
        return -1;
    }

    void markLost(String reason) {
        if (alive) {
            lostReason = reason;
            alive = false;
            events.lost(this, reason);
        }
    }

    /** Publishes {@code offline} retained, then sends DISCONNECT (so the broker drops the will) and closes. */
    void closeCleanly(String statusTopic, byte[] offline, long timeoutMs) {
        try {
            if (client.isConnected()) {
                client.publish(statusTopic, message(offline, true, null)).waitForCompletion(timeoutMs);
                client.disconnect(timeoutMs).waitForCompletion(timeoutMs);
            }
        } catch (MqttException e) {
            // the will covers what the clean path could not say
        } finally {
            alive = false;
            closeQuietly();
        }
    }

    /** Drops a dead or failing connection without waiting for the network. */
    void abandon() {
        alive = false;
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1, false);
            }
        } catch (MqttException | RuntimeException e) {
            // already gone
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            // nothing left to release
        }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        String reason;
        if (response.getException() != null) {
            reason = ErrorText.describe(brokerUri, response.getException());
        } else {
            reason = "broker " + brokerUri + " closed the session (reason 0x"
                    + Integer.toHexString(response.getReturnCode())
                    + (response.getReasonString() == null ? "" : ", " + response.getReasonString()) + ")";
        }
        markLost(reason);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
        markLost(ErrorText.describe(brokerUri, exception));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        events.arrived(this, topic, message);
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
        // publishes are tracked through their own listeners
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        // connections are driven by HeadendLink, not by Paho's reconnect
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
        // no enhanced authentication: the client certificate is the credential
    }
}
