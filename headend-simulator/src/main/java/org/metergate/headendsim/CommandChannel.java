// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

import com.google.gson.JsonObject;

/**
 * The head-end's downlink: commands with MQTT 5 request/response (the answer is matched by its
 * correlation data) and credit tokens, all QoS 1, each publish refused loudly if the broker says no.
 */
final class CommandChannel {

    private final MqttAsyncClient client;
    private final Function<String, String> replyTopic;
    private final Function<String, Optional<JsonObject>> statusOf;
    private final Map<String, CompletableFuture<CommandResponse>> pending = new ConcurrentHashMap<>();

    CommandChannel(MqttAsyncClient client, Function<String, String> replyTopic,
            Function<String, Optional<JsonObject>> statusOf) {
        this.client = client;
        this.replyTopic = replyTopic;
        this.statusOf = statusOf;
    }

    /** Completes the waiting command whose correlation data the reply carries, if any. */
    void answered(byte[] correlation, Observation reply) {
        CompletableFuture<CommandResponse> f = pending.remove(HexFormat.of().formatHex(correlation));
        if (f != null && reply.payload() != null) {
            JsonObject d = reply.payload();
            String command = d.has("command") && d.get("command").isJsonPrimitive() ? d.get("command").getAsString() : null;
            f.complete(new CommandResponse(reply.gateway(), command, d));
        }
    }

    void cancelAll() {
        pending.values().forEach(f -> f.cancel(false));
    }

    /**
     * Sends command {@code name} to {@code gateway} on {@code mg/v1/<gateway>/cmd/<name>} with a response
     * topic and correlation data, and waits for the answer.
     *
     * @throws TimeoutException if no answer arrives in time; the message says the gateway's last status
     */
    CommandResponse command(String gateway, String name, JsonObject arguments, Duration timeout)
            throws MqttException, InterruptedException, TimeoutException {
        checkGatewayId(gateway);
        if (name == null || !name.matches("[a-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("command name '" + name
                    + "' is not valid: use lower-case letters, digits and '-' (e.g. read-now, get-status)");
        }
        JsonObject request = arguments == null ? new JsonObject() : arguments.deepCopy();
        String msgId = UUID.randomUUID().toString();
        request.addProperty("schema", "cmd/v1");
        request.addProperty("msgId", msgId);
        byte[] correlation = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        String key = HexFormat.of().formatHex(correlation);
        CompletableFuture<CommandResponse> answer = new CompletableFuture<>();
        pending.put(key, answer);
        try {
            MqttProperties p = new MqttProperties();
            p.setResponseTopic(replyTopic.apply(gateway));
            p.setCorrelationData(correlation);
            p.setMessageExpiryInterval(Math.max(1L, timeout.toSeconds())); // a late command is worse than none
            publish("mg/v1/" + gateway + "/cmd/" + name, request, p, timeout);
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            TimeoutException t = new TimeoutException("gateway " + gateway + " did not answer command '" + name
                    + "' within " + timeout + "; is it online? last status: "
                    + statusOf.apply(gateway).map(JsonObject::toString).orElse("none received"));
            t.initCause(e);
            throw t;
        } finally {
            pending.remove(key);
        }
    }

    /** Publishes a credit token document; returns its msgId. */
    String sendToken(String gateway, String jws, Duration timeout) throws MqttException {
        checkGatewayId(gateway);
        JsonObject doc = new JsonObject();
        String msgId = UUID.randomUUID().toString();
        doc.addProperty("schema", "token/v1");
        doc.addProperty("msgId", msgId);
        doc.addProperty("token", jws);
        publish("mg/v1/" + gateway + "/credit/tokens", doc, new MqttProperties(), timeout);
        return msgId;
    }

    private void publish(String topic, JsonObject doc, MqttProperties p, Duration timeout) throws MqttException {
        MqttMessage m = new MqttMessage(doc.toString().getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        p.setContentType("application/json");
        m.setProperties(p);
        IMqttToken t = client.publish(topic, m);
        t.waitForCompletion(timeout.toMillis());
        int[] codes = t.getReasonCodes();
        if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
            throw new MqttException(codes[0], new IllegalStateException("broker refused publish to " + topic
                    + " with reason code 0x" + Integer.toHexString(codes[0])));
        }
    }

    private static void checkGatewayId(String gateway) {
        if (gateway == null || !gateway.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("gateway id '" + gateway
                    + "' is not valid: use 1 to 64 letters, digits, '_' or '-'");
        }
    }
}
