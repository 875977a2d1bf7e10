// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.metergate.api.command.CommandHandler;
import org.metergate.api.credit.CreditService;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.api.security.DeviceIdentity;

import com.google.gson.JsonObject;

/**
 * The MQTT 5 link to the head-end: connects with mutual TLS and a persistent session, announces itself
 * (retained birth, retained will), drains the outbox with QoS 1 and deletes messages only on PUBACK,
 * answers commands and takes credit tokens. One thread owns the connection and the drain; it reconnects
 * with jittered exponential backoff. Plain Java so that it can be tested without a framework.
 */
public final class HeadendLink implements AutoCloseable {

    private static final Pattern GATEWAY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int RECENT_ACKS = 50_000;
    private static final long SHUTDOWN_WAIT_MS = 3_000;

    private final HeadendSettings settings;
    private final DeviceIdentity identity;
    private final Outbox outbox;
    private final Supplier<MeteringService> metering;
    private final LinkLog log;
    private final String version;
    private final Clock clock;
    private final UplinkPlanner planner;
    private final Downlink downlink;
    private final ThreadPoolExecutor commands;

    private final Object signal = new Object();
    private final Queue<Publication> delivered = new ConcurrentLinkedQueue<>();
    private final LinkedHashSet<String> recentlyAcknowledged = new LinkedHashSet<>();
    private final AtomicLong published = new AtomicLong();

    private volatile boolean stopping;
    private volatile Thread thread;
    private volatile String gatewayId;
    private volatile LinkState state = LinkState.STOPPED;
    private volatile Instant connectedSince;
    private volatile Instant lastPublish;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    public HeadendLink(HeadendSettings settings, DeviceIdentity identity, Outbox outbox,
            Supplier<MeteringService> metering, Supplier<CreditService> credit, LinkLog log, String version,
            Clock clock) {
        this(settings, identity, outbox, metering, credit, name -> null, log, version, clock);
    }

    /**
     * @param contributedCommands the {@link CommandHandler} another bundle publishes for a command name, or null
     */
    public HeadendLink(HeadendSettings settings, DeviceIdentity identity, Outbox outbox,
            Supplier<MeteringService> metering, Supplier<CreditService> credit,
            Function<String, CommandHandler> contributedCommands, LinkLog log, String version, Clock clock) {
        this.settings = settings;
        this.identity = identity;
        this.outbox = outbox;
        this.metering = metering;
        this.log = log;
        this.version = version;
        this.clock = clock;
        this.planner = new UplinkPlanner(outbox, settings.batchMaxReadings(), settings.batchMaxBytes(),
                settings.inflightWindow(), settings.batchMaxAge(), log,
                settings.compressReadings() ? new ReadingsCompression() : null);
        this.downlink = new Downlink(metering, credit, contributedCommands, outbox, this::status, version, log);
        this.commands = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(32),
                r -> {
                    Thread t = new Thread(r, "metergate-headend-commands");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Starts the link thread; problems are reported through {@link #status()} and the log, never thrown. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        if (settings.insecurePlaintext()) {
            log.warn("insecurePlaintext is on: the head-end link may run without TLS. This is for development"
                    + " only and must not be used in the field: anyone on the network path can read and forge"
                    + " readings, tokens and commands");
        }
        String id;
        try {
            id = identity.gatewayId();
        } catch (RuntimeException e) {
            id = null;
        }
        if (id == null || !GATEWAY_ID.matcher(id).matches()) {
            state = LinkState.MISCONFIGURED;
            error("gateway id '" + id + "' from the device identity is not usable: it must be 1-64 characters"
                    + " of A-Z a-z 0-9 _ - (dots and slashes break topic authorization); re-run commissioning");
            return;
        }
        gatewayId = id;
        stopping = false;
        Thread t = new Thread(this::run, "metergate-headend-link");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Clean shutdown: waits for in-flight PUBACKs briefly, publishes {@code offline}, disconnects. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            stopping = true;
            t = thread;
            thread = null;
        }
        wake();
        commands.shutdownNow();
        if (t != null) {
            try {
                t.join(SHUTDOWN_WAIT_MS * 2 + settings.connectTimeoutSeconds() * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        state = LinkState.STOPPED;
    }

    public LinkStatus status() {
        OutboxStats backlog;
        try {
            backlog = outbox.stats();
        } catch (RuntimeException e) {
            backlog = null;
        }
        return new LinkStatus(gatewayId, settings.brokerUri(), state, connectedSince, lastPublish, published.get(),
                lastError, lastErrorAt, backlog);
    }

    /** Hint that the outbox has new messages, so they go out before the next poll. */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    String topic(String suffix) {
        return "mg/v1/" + gatewayId + "/" + suffix;
    }

    private void run() {
        Backoff backoff = new Backoff(settings.reconnectInitial(), settings.reconnectMax(),
                () -> ThreadLocalRandom.current().nextDouble());
        try {
            while (!stopping) {
                try {
                    connectAndServe(backoff);
                } catch (Throwable t) { // even an Error: reported, the connection dropped, and tried again
                    unexpected(t);
                }
                if (!stopping) {
                    state = LinkState.WAITING_TO_RECONNECT;
                    pause(backoff.next());
                }
            }
            flushAcknowledgements();
        } catch (Throwable t) { // failed while reporting a failure: stop, and say so
            error("the head-end link stopped after an unexpected failure (" + t + "); nothing is sent until the"
                    + " gateway or its headend bundle is restarted");
        } finally {
            planner.release();
            // never left showing CONNECTED by a thread that is gone
            connectedSince = null;
            state = LinkState.STOPPED;
        }
    }

    /** One connection: connect, drain and answer until it is lost or the link stops. */
    private void connectAndServe(Backoff backoff) {
        state = LinkState.CONNECTING;
        MqttSession session;
        try {
            session = connect();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            error(ErrorText.describe(settings.brokerUri(), e));
            return;
        }
        try {
            serve(session, backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (MqttException | RuntimeException e) {
            error(ErrorText.describe(settings.brokerUri(), e));
        } finally {
            connectedSince = null;
            if (stopping) {
                shutdown(session);
            } else {
                if (session.lostReason() != null) {
                    error(session.lostReason());
                }
                session.abandon();
            }
            // PUBACKs that came in before the end: the outbox and its status stay exact while offline
            flushAcknowledgements();
            planner.reset();
        }
    }

    /** An Error or a bug: said in plain words in the status and logged with its stack trace. */
    private void unexpected(Throwable t) {
        connectedSince = null;
        String message;
        if (t instanceof OutOfMemoryError) {
            message = "the gateway ran out of memory while working on the head-end link (" + t.getMessage()
                    + "); the connection was dropped and is tried again after a pause. If this repeats, give the"
                    + " gateway more memory or lower batchMaxBytes or inflightWindow";
        } else {
            message = "the head-end link failed unexpectedly (" + t + "); the connection was dropped and is tried"
                    + " again after a pause";
        }
        error(message);
        try {
            log.error("head-end link: " + message, t);
        } catch (Throwable ignored) {
            // the status above already says it
        }
    }

    private MqttSession connect() throws Exception {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpirySeconds());
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setConnectionTimeout(settings.connectTimeoutSeconds());
        options.setAutomaticReconnect(false);
        options.setTopicAliasMaximum(0);
        if (settings.usesTls()) {
            SSLContext tls = identity.clientTlsContext();
            options.setSocketFactory(NoDelaySocketFactories.tls(tls.getSocketFactory()));
            options.setHttpsHostnameVerificationEnabled(true);
        } else {
            options.setSocketFactory(NoDelaySocketFactories.plain());
        }
        MqttMessage will = MqttSession.message(
                Payloads.bytes(Payloads.offline(UUID.randomUUID().toString(), gatewayId, "link-lost")), true, null);
        options.setWill(topic("status"), will);
        MqttProperties willProps = new MqttProperties();
        willProps.setContentType(MqttSession.JSON);
        willProps.setPayloadFormat(true);
        if (settings.willDelaySeconds() > 0) {
            willProps.setWillDelayInterval(settings.willDelaySeconds());
        }
        options.setWillMessageProperties(willProps);

        MqttAsyncClient client = new MqttAsyncClient(settings.brokerUri(), gatewayId, new MemoryPersistence());
        MqttSession session = new MqttSession(client, settings.inflightWindow(), new SessionEvents(),
                settings.brokerUri());
        try {
            IMqttToken token = client.connect(options);
            token.waitForCompletion(settings.connectTimeoutSeconds() * 1000L + 1000);
            if (!client.isConnected()) {
                throw new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT);
            }
            log.info("connected to " + settings.brokerUri() + " as " + gatewayId
                    + (token.getSessionPresent() ? " (session resumed)" : " (new session)"));
            return session;
        } catch (Exception e) {
            session.abandon();
            throw e;
        }
    }

    private void serve(MqttSession session, Backoff backoff) throws MqttException, InterruptedException {
        if (stopping) {
            return;
        }
        long timeoutMs = settings.connectTimeoutSeconds() * 1000L;
        session.subscribe(new String[] {topic("credit/tokens"), topic("cmd/+")}, timeoutMs);
        session.publishDirect(topic("status"), Payloads.bytes(birth()), true, null, null);
        connectedSince = clock.instant();
        state = LinkState.CONNECTED;
        long pollMs = settings.outboxPoll().toMillis();
        boolean usable = false;
        while (!stopping && session.alive()) {
            // only a session that delivers (or has nothing to deliver) resets the backoff, so a broker
            // that accepts the connection but refuses a message is not hammered at the shortest delay
            if (!usable && session.deliveredAny()) {
                usable = true;
                backoff.reset();
            }
            flushAcknowledgements();
            if (!session.acquire(pollMs)) {
                continue;
            }
            UplinkPlanner.Next next;
            try {
                next = planner.next(clock.instant());
            } catch (OutboxException | RuntimeException e) {
                session.release();
                error("cannot read the outbox: " + e.getMessage());
                pause(Duration.ofSeconds(1));
                continue;
            }
            Publication p = next.publication();
            if (p == null) {
                if (!usable && next.dueAt() == null) {
                    usable = true;
                    backoff.reset();
                }
                session.release();
                waitForWork(next.dueAt(), pollMs);
                continue;
            }
            try {
                session.publish(topic(p.topicSuffix()), p, false);
            } catch (MqttException e) {
                session.release();
                throw e;
            }
        }
        if (stopping && session.alive()) {
            session.awaitIdle(settings.inflightWindow(), SHUTDOWN_WAIT_MS);
            flushAcknowledgements();
        }
    }

    private JsonObject birth() {
        List<MeterStatus> meters = List.of();
        MeteringService service = metering.get();
        if (service != null) {
            try {
                meters = service.meters();
            } catch (RuntimeException e) {
                log.warn("metering service failed to list meters for the birth message: " + e);
            }
        }
        return Payloads.online(UUID.randomUUID().toString(), gatewayId, version, meters, clock.instant());
    }

    private void shutdown(MqttSession session) {
        byte[] offline = Payloads.bytes(Payloads.offline(UUID.randomUUID().toString(), gatewayId, "shutdown"));
        session.closeCleanly(topic("status"), offline, SHUTDOWN_WAIT_MS);
        log.info("disconnected from " + settings.brokerUri() + " (gateway stopping)");
    }

    /** Deletes what the broker acknowledged; a failure keeps them queued and tries again next round. */
    private void flushAcknowledgements() {
        List<Publication> done = new ArrayList<>();
        for (Publication p; (p = delivered.poll()) != null;) {
            done.add(p);
        }
        if (done.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>();
        synchronized (recentlyAcknowledged) {
            for (Publication p : done) {
                for (String id : p.outboxIds()) {
                    if (!recentlyAcknowledged.contains(id)) {
                        ids.add(id);
                    }
                }
            }
        }
        try {
            if (!ids.isEmpty()) {
                outbox.acknowledge(ids);
            }
        } catch (OutboxException | RuntimeException e) {
            delivered.addAll(done);
            error("delivered messages could not be removed from the outbox (" + e.getMessage()
                    + "); they may be sent again");
            return;
        }
        synchronized (recentlyAcknowledged) {
            recentlyAcknowledged.addAll(ids);
            Iterator<String> it = recentlyAcknowledged.iterator();
            for (int excess = recentlyAcknowledged.size() - RECENT_ACKS; excess > 0; excess--) {
                it.next();
                it.remove();
            }
        }
        done.forEach(planner::acknowledged);
    }

    private void waitForWork(Instant dueAt, long pollMs) throws InterruptedException {
        long waitMs = pollMs;
        if (dueAt != null) {
            waitMs = Math.max(1, Math.min(pollMs, Duration.between(clock.instant(), dueAt).toMillis()));
        }
        synchronized (signal) {
            if (!stopping && delivered.isEmpty()) {
                signal.wait(waitMs);
            }
        }
    }

    private void pause(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        synchronized (signal) {
            long left;
            while (!stopping && (left = end - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void error(String message) {
        if (!message.equals(lastError)) {
            log.warn("head-end link: " + message);
        }
        lastError = message;
        lastErrorAt = clock.instant();
    }

    private void handleCommand(MqttSession session, String name, MqttMessage message) {
        respond(session, name, message, downlink.command(name, message.getPayload()));
    }

    /** Sends a command's response without waiting (may run on Paho's callback thread). */
    private void respond(MqttSession session, String name, MqttMessage message, JsonObject response) {
        MqttProperties props = message.getProperties();
        String responseTopic = props == null ? null : props.getResponseTopic();
        byte[] correlation = props == null ? null : props.getCorrelationData();
        if (responseTopic == null || responseTopic.isEmpty()) {
            log.warn("command '" + name + "' came without a responseTopic, so its answer cannot be sent: "
                    + Payloads.text(response));
            return;
        }
        try {
            session.publishDirect(responseTopic, Payloads.bytes(response), false, correlation,
                    new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            // delivered
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable e) {
                            log.warn("response to command '" + name + "' could not be sent: "
                                    + ErrorText.describe(settings.brokerUri(), e));
                        }
                    });
        } catch (MqttException e) {
            log.warn("response to command '" + name + "' could not be sent: "
                    + ErrorText.describe(settings.brokerUri(), e));
        }
    }

    private final class SessionEvents implements MqttSession.Events {

        @Override
        public void delivered(MqttSession session, Publication p) {
            lastPublish = clock.instant();
            published.incrementAndGet();
            delivered.add(p);
            wake();
        }

        @Override
        public void lost(MqttSession session, String reason) {
            wake(); // the link thread reports the reason
        }

        @Override
        public void arrived(MqttSession session, String topic, MqttMessage message) {
            String cmdPrefix = topic("cmd/");
            if (topic.equals(topic("credit/tokens"))) {
                downlink.token(message.getPayload());
            } else if (topic.startsWith(cmdPrefix)) {
                String name = topic.substring(cmdPrefix.length());
                try {
                    commands.execute(() -> handleCommand(session, name, message));
                } catch (RejectedExecutionException e) {
                    String why = stopping ? "the gateway is stopping" : "too many commands are waiting; try again";
                    respond(session, name, message, Payloads.commandError(UUID.randomUUID().toString(), name, null,
                            "busy", "command not run: " + why));
                }
            } else {
                log.debug("ignoring message on unexpected topic " + topic + ": "
                        + Downlink.abbreviate(new String(message.getPayload(), StandardCharsets.UTF_8)));
            }
        }
    }
}
