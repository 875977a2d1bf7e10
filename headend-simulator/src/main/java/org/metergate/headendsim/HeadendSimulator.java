// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
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

import com.google.gson.JsonObject;

/**
 * The head-end side of the MQTT contract (v1) as a Paho MQTT 5 client: subscribes to {@code mg/v1/+/#}
 * (optionally as the shared subscription {@code $share/headend/...}), records everything per gateway and
 * topic with de-duplication and a per-meter ordering check ({@link MessageLedger}), sends commands with
 * MQTT 5 request/response and credit tokens. Payloads the gateway sent compressed (user property
 * {@code content-encoding: gzip}) are inflated first, at most to {@link ContentDecoding#MAX_INFLATED_BYTES};
 * what cannot be read is kept in {@link #rejected()} with the reason.
 *
 * <pre>{@code
 * try (HeadendSimulator headend = HeadendSimulator.connectTo(broker.uri())
 *         .tls(pki.sslContext(pki.identityFor(Pki.HEADEND_CN))).start()) {
 *     headend.awaitReadings("gw1", "m1", 3, Duration.ofSeconds(10));
 *     CommandResponse r = headend.readNow("gw1", "m1", Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * Automatic reconnect is on; subscriptions are renewed on every connect, so it survives a broker restart.
 */
public final class HeadendSimulator implements AutoCloseable {

    /** The subscription group that lets several head-end instances share the load (MQTT 5 shared subscription). */
    public static final String SHARE_GROUP = "headend";
    private static final long CONNECT_TIMEOUT_MS = 15_000;

    private final String uri;
    private final SSLContext tls;
    private final String clientId;
    private final boolean shared;
    private final Consumer<Observation> listener;
    private final List<Consumer<Observation>> extraListeners = new CopyOnWriteArrayList<>();
    private final MessageLedger ledger;
    private final MqttAsyncClient client;
    private final CommandChannel commands;
    private volatile CompletableFuture<Void> subscribed = new CompletableFuture<>();

    /** Connection settings; {@link #start()} connects. */
    public static final class Builder {
        private final String uri;
        private SSLContext tls;
        private String clientId = "headend-" + UUID.randomUUID().toString().substring(0, 8);
        private boolean shared;
        private Consumer<Observation> listener = o -> { };
        private int maxInflatedBytes = ContentDecoding.MAX_INFLATED_BYTES;

        private Builder(String uri) {
            this.uri = uri;
        }

        /** The head-end's TLS identity (certificate CN {@value Pki#HEADEND_CN}); not needed for tcp:// URIs. */
        public Builder tls(SSLContext tls) {
            this.tls = tls;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** Subscribe as {@code $share/headend/mg/v1/+/#} so several head-ends split the gateways' messages. */
        public Builder sharedSubscription(boolean shared) {
            this.shared = shared;
            return this;
        }

        /** Called (on the MQTT thread; keep it short) for every message accepted after de-duplication. */
        public Builder listener(Consumer<Observation> listener) {
            this.listener = listener;
            return this;
        }

        /** The largest document a compressed payload may inflate to (default: the contract's 16 MiB). */
        public Builder maxInflatedBytes(int maxInflatedBytes) {
            if (maxInflatedBytes < 1) {
                throw new IllegalArgumentException("maxInflatedBytes must be at least 1, not " + maxInflatedBytes);
            }
            this.maxInflatedBytes = maxInflatedBytes;
            return this;
        }

        /** Connects and subscribes; fails with the broker's reason if it refuses either. */
        public HeadendSimulator start() throws MqttException, InterruptedException {
            HeadendSimulator h = new HeadendSimulator(this);
            try {
                h.connect();
            } catch (MqttException | InterruptedException | RuntimeException e) {
                h.close();
                throw e;
            }
            return h;
        }
    }

    public static Builder connectTo(String brokerUri) {
        return new Builder(brokerUri);
    }

    private HeadendSimulator(Builder b) throws MqttException {
        this.uri = b.uri;
        this.tls = b.tls;
        this.clientId = b.clientId;
        this.shared = b.shared;
        this.listener = b.listener;
        this.ledger = new MessageLedger(b.maxInflatedBytes);
        this.client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        this.commands = new CommandChannel(client, gateway -> "mg/v1/" + gateway + "/" + replySuffix(), ledger::statusOf);
        client.setCallback(new Callback()); // before connect: Paho drops messages that arrive before it is set
    }

    private void connect() throws MqttException, InterruptedException {
        if (uri.startsWith("ssl://") && tls == null) {
            throw new IllegalArgumentException("broker " + uri + " needs TLS: give the head-end identity with tls(...)");
        }
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(false);
        o.setSessionExpiryInterval(300L); // messages wait for a head-end that reconnects within 5 min
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, 5);
        o.setKeepAliveInterval(30);
        o.setConnectionTimeout(10);
        o.setSocketFactory(NoDelaySocketFactory.wrap(tls == null ? null : tls.getSocketFactory()));
        try {
            client.connect(o).waitForCompletion(CONNECT_TIMEOUT_MS);
        } catch (MqttException e) {
            throw new MqttException(e.getReasonCode(), new IllegalStateException("head-end could not connect to "
                    + uri + ": " + e.getMessage() + " (is the broker running, and is this the head-end's certificate?)",
                    e));
        }
        try {
            subscribed.get(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION, new IllegalStateException(
                    "head-end could not subscribe to " + filters() + " at " + uri + ": " + cause.getMessage(), cause));
        }
    }

    private List<String> filters() {
        String all = "mg/v1/+/#";
        if (!shared) {
            return List.of(all);
        }
        // replies must reach this instance, not any member of the share group
        return List.of("$share/" + SHARE_GROUP + "/" + all, "mg/v1/+/" + replySuffix());
    }

    private String replySuffix() {
        return "replies/" + clientId;
    }

    private void subscribe() {
        List<String> filters = filters();
        MqttSubscription[] subs = filters.stream().map(f -> {
            MqttSubscription sub = new MqttSubscription(f, 1);
            // no echo of our own commands and tokens (No Local is a protocol error on shared subscriptions)
            sub.setNoLocal(!f.startsWith("$share/"));
            return sub;
        }).toArray(MqttSubscription[]::new);
        CompletableFuture<Void> done = subscribed.isDone() ? new CompletableFuture<>() : subscribed;
        subscribed = done;
        try {
            // the array overload: the single-subscription one throws (paho issue 826); no waiting on this thread
            client.subscribe(subs, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    for (int i = 0; codes != null && i < codes.length; i++) {
                        if (codes[i] >= 0x80) {
                            done.completeExceptionally(new IllegalStateException("broker refused subscription "
                                    + filters.get(Math.min(i, filters.size() - 1)) + " with reason code 0x"
                                    + Integer.toHexString(codes[i]) + " (0x87 = not authorized: is the certificate CN '"
                                    + Pki.HEADEND_CN + "'?)"));
                            return;
                        }
                    }
                    done.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    done.completeExceptionally(e);
                }
            }, new MqttProperties());
        } catch (MqttException e) {
            done.completeExceptionally(e);
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            subscribe();
        }

        @Override
        public void messageArrived(String topic, MqttMessage m) {
            MqttProperties p = m.getProperties();
            Optional<Observation> o = ledger.accept(topic, m.getPayload(), m.isRetained(), contentEncoding(p));
            if (p != null && p.getCorrelationData() != null && topic.endsWith("/" + replySuffix()) && o.isPresent()) {
                commands.answered(p.getCorrelationData(), o.get());
            }
            o.ifPresent(observation -> {
                notify(listener, observation);
                extraListeners.forEach(l -> notify(l, observation));
            });
        }

        private static String contentEncoding(MqttProperties p) {
            if (p == null) {
                return null;
            }
            for (UserProperty u : p.getUserProperties()) {
                if (ContentDecoding.PROPERTY.equals(u.getKey())) {
                    return u.getValue();
                }
            }
            return null;
        }

        private void notify(Consumer<Observation> l, Observation observation) {
            try {
                l.accept(observation);
            } catch (RuntimeException e) {
                // a faulty listener must not make Paho drop the connection
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            // automatic reconnect takes over
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            // reported through the tokens of the calls that fail
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

    // ---- commands and tokens --------------------------------------------------------------------------

    /**
     * Sends command {@code name} to {@code gateway} on {@code mg/v1/<gateway>/cmd/<name>} with a response
     * topic and correlation data, and waits for the answer.
     *
     * @throws TimeoutException if no answer arrives in time (is the gateway online? see {@link #statusOf})
     */
    public CommandResponse command(String gateway, String name, JsonObject arguments, Duration timeout)
            throws MqttException, InterruptedException, TimeoutException {
        return commands.command(gateway, name, arguments, timeout);
    }

    /** {@code read-now} for one meter. */
    public CommandResponse readNow(String gateway, String meter, Duration timeout)
            throws MqttException, InterruptedException, TimeoutException {
        JsonObject args = new JsonObject();
        args.addProperty("meter", meter);
        return command(gateway, "read-now", args, timeout);
    }

    /** {@code get-status}: the gateway's link and meter status. */
    public CommandResponse getStatus(String gateway, Duration timeout)
            throws MqttException, InterruptedException, TimeoutException {
        return command(gateway, "get-status", null, timeout);
    }

    /** Publishes a signed credit token (JWS compact) to {@code mg/v1/<gateway>/credit/tokens}; returns its msgId. */
    public String sendToken(String gateway, String jws, Duration timeout) throws MqttException {
        return commands.sendToken(gateway, jws, timeout);
    }

    /**
     * Adds a listener (called on the MQTT thread, like the builder's; keep it short and never wait in it) for
     * every message accepted from now on; closing the returned handle removes it.
     */
    public Listening addListener(Consumer<Observation> l) {
        extraListeners.add(l);
        return () -> extraListeners.remove(l);
    }

    /** A listener added with {@link #addListener}; {@link #close()} removes it. */
    public interface Listening extends AutoCloseable {
        @Override
        void close();
    }

    // ---- queries -----------------------------------------------------------------------------------

    /** Everything accepted so far (oldest first; at most the last 100,000). */
    public List<Observation> observations() {
        return ledger.observations();
    }

    /** Messages from {@code gateway} on {@code topic} (below {@code mg/v1/<gateway>/}, e.g. {@code events}). */
    public List<Observation> observations(String gateway, String topic) {
        return ledger.observations(gateway, topic);
    }

    /** The readings of one meter, de-duplicated, in arrival order. */
    public List<JsonObject> readings(String gateway, String meter) {
        return ledger.readings(gateway, meter);
    }

    /** The daily/v1 documents of one meter (sent inside readings batches; not readings), de-duplicated by id. */
    public List<JsonObject> dailyValues(String gateway, String meter) {
        return ledger.dailyValues(gateway, meter);
    }

    /** Messages whose payload could not be read (corrupt or unknown compression, too large), with the reason. */
    public List<Observation> rejected() {
        return ledger.rejected();
    }

    /** Waits until at least {@code count} distinct readings of the meter arrived; returns them all. */
    public List<JsonObject> awaitReadings(String gateway, String meter, int count, Duration timeout)
            throws InterruptedException {
        return ledger.await(() -> ledger.readings(gateway, meter), l -> l.size() >= count, timeout,
                () -> count + " readings of " + gateway + "/" + meter + " (have "
                        + ledger.readings(gateway, meter).size() + ")");
    }

    /** Waits for a message from {@code gateway} on {@code topic} whose JSON payload matches. */
    public Observation awaitMessage(String gateway, String topic, Predicate<JsonObject> match, Duration timeout)
            throws InterruptedException {
        return ledger.await(() -> ledger.observations(gateway, topic).stream()
                .filter(o -> o.payload() != null && match.test(o.payload())).findFirst(), Optional::isPresent,
                timeout, () -> "a matching message on mg/v1/" + gateway + "/" + topic + " (have "
                        + ledger.observations(gateway, topic).size() + " there)").orElseThrow();
    }

    /** The latest {@code status/v1} document of the gateway (birth, will or shutdown). */
    public Optional<JsonObject> statusOf(String gateway) {
        return ledger.statusOf(gateway);
    }

    /** Waits until the gateway's latest status has {@code state} ({@code online} or {@code offline}). */
    public JsonObject awaitState(String gateway, String state, Duration timeout) throws InterruptedException {
        return ledger.await(() -> ledger.statusOf(gateway),
                s -> s.isPresent() && state.equals(text(s.get(), "state")), timeout,
                () -> "gateway " + gateway + " to be " + state + " (last status: "
                        + ledger.statusOf(gateway).map(JsonObject::toString).orElse("none") + ")").orElseThrow();
    }

    /** Gateways heard from so far. */
    public Set<String> gateways() {
        return ledger.gateways();
    }

    /** Messages dropped because their {@code msgId} had been received before from the same gateway. */
    public long duplicatesDropped() {
        return ledger.duplicatesDropped();
    }

    /** Readings dropped because their reading {@code id} had been received before (in another batch). */
    public long duplicateReadingsDropped() {
        return ledger.duplicateReadingsDropped();
    }

    /** Readings that arrived older than one already received for the same meter. */
    public List<OrderingViolation> orderingViolations() {
        return ledger.orderingViolations();
    }

    /** Accepted messages per {@code gateway/topic}. */
    public Map<String, Long> counts() {
        return ledger.counts();
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    public String clientId() {
        return clientId;
    }

    @Override
    public void close() {
        commands.cancelAll();
        try {
            if (client.isConnected()) {
                client.disconnect(2_000).waitForCompletion(3_000);
            }
        } catch (MqttException e) {
            // the broker is already gone: nothing to say goodbye to
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to release
        }
    }

    private static String text(JsonObject o, String field) {
        return o.has(field) && o.get(field).isJsonPrimitive() ? o.get(field).getAsString() : null;
    }
}
