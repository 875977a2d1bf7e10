// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

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
import org.metergate.api.security.DeviceIdentity;
import org.metergate.api.uplink.LinkCheckOutcome;
import org.metergate.api.uplink.LinkCheckReport;
import org.metergate.api.uplink.LinkCheckStage;
import org.metergate.api.uplink.LinkCheckStep;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * One run of the connectivity check with the link's own settings and the device identity: DNS, TCP, TLS with the
 * device certificate, MQTT 5 connect, and a {@code get-status} command sent to the gateway's own command topic whose
 * answer must come back on its replies topic (the live link answers it, so the whole path is proven). The check
 * connects as {@code <gatewayId>-check} with a clean, non-persistent session, so the live link is not disturbed.
 */
final class LinkChecker {

    /** After the handshake, how long to listen for the broker refusing the device certificate (TLS 1.3 tells late). */
    static final Duration REFUSAL_WAIT = Duration.ofMillis(500);

    private final HeadendSettings settings;
    private final DeviceIdentity identity;
    private final Supplier<LinkStatus> live;
    private final Duration timeout;
    private final Clock clock;

    /**
     * @param live    the live link's status (to explain a round trip nobody answered), or a supplier returning null
     * @param timeout bound of each step
     */
    LinkChecker(HeadendSettings settings, DeviceIdentity identity, Supplier<LinkStatus> live, Duration timeout,
            Clock clock) {
        this.settings = settings;
        this.identity = identity;
        this.live = live;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** A report whose first step fails because the link's configuration is wrong; nothing is tried. */
    static LinkCheckReport misconfigured(String brokerUri, String problem, Clock clock,
            Consumer<LinkCheckStep> progress) {
        List<LinkCheckStep> steps = new ArrayList<>();
        steps.add(new LinkCheckStep(LinkCheckStage.DNS, LinkCheckOutcome.FAILED, Duration.ZERO,
                "The head-end link's configuration is wrong: " + problem,
                "Correct conf/" + HeadendComponent.PID + ".cfg (the log names the key), then run the check again."));
        progress.accept(steps.get(0));
        skipRest(steps, progress);
        return new LinkCheckReport(brokerUri, clock.instant(), steps);
    }

    LinkCheckReport run(Consumer<LinkCheckStep> progress) {
        Instant startedAt = clock.instant();
        List<LinkCheckStep> steps = new ArrayList<>();
        URI uri = URI.create(settings.brokerUri());
        String host = uri.getHost();
        int port = uri.getPort() > 0 ? uri.getPort() : settings.usesTls() ? 8883 : 1883;
        Run run = new Run(progress, steps);
        try {
            InetAddress[] addresses = run.step(LinkCheckStage.DNS, () -> resolve(host));
            if (addresses == null) {
                return report(startedAt, steps, progress);
            }
            Socket socket = run.step(LinkCheckStage.TCP, () -> connect(addresses, host, port));
            if (socket == null) {
                return report(startedAt, steps, progress);
            }
            if (settings.usesTls()) {
                Boolean secured = run.step(LinkCheckStage.TLS, () -> handshake(socket, host, port));
                if (secured == null) {
                    return report(startedAt, steps, progress);
                }
            } else {
                close(socket);
                run.add(new LinkCheckStep(LinkCheckStage.TLS, LinkCheckOutcome.SKIPPED, Duration.ZERO, "brokerUri "
                        + settings.brokerUri() + " is plaintext (insecurePlaintext=true, development only): no TLS "
                        + "to check", null));
            }
            MqttAsyncClient client = run.step(LinkCheckStage.MQTT, this::mqttConnect);
            if (client == null) {
                return report(startedAt, steps, progress);
            }
            try {
                run.step(LinkCheckStage.ROUND_TRIP, () -> roundTrip(client));
            } finally {
                disconnect(client);
            }
            return report(startedAt, steps, progress);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.add(new LinkCheckStep(run.current, LinkCheckOutcome.FAILED, Duration.ZERO,
                    "The check was stopped (the gateway is shutting down or the link is being reconfigured).",
                    "Run the check again."));
            return report(startedAt, steps, progress);
        }
    }

    private LinkCheckReport report(Instant startedAt, List<LinkCheckStep> steps, Consumer<LinkCheckStep> progress) {
        skipRest(steps, progress);
        return new LinkCheckReport(settings.brokerUri(), startedAt, steps);
    }

    private static void skipRest(List<LinkCheckStep> steps, Consumer<LinkCheckStep> progress) {
        for (LinkCheckStage stage : LinkCheckStage.values()) {
            if (steps.stream().noneMatch(s -> s.stage() == stage)) {
                LinkCheckStep skipped = new LinkCheckStep(stage, LinkCheckOutcome.SKIPPED, Duration.ZERO,
                        "Not run: an earlier step failed.", null);
                steps.add(skipped);
                progress.accept(skipped);
            }
        }
    }

    // --- steps: each returns what it found for the next step, or throws StepFailed with detail and fix

    private Passed<InetAddress[]> resolve(String host) throws StepFailed, InterruptedException {
        CompletableFuture<InetAddress[]> lookup = new CompletableFuture<>();
        Thread resolver = new Thread(() -> {
            try {
                lookup.complete(InetAddress.getAllByName(host));
            } catch (IOException | RuntimeException e) {
                lookup.completeExceptionally(e);
            }
        }, "metergate-link-check-dns");
        resolver.setDaemon(true); // the JDK resolver cannot be interrupted; a hung lookup must not hold the gateway
        resolver.start();
        try {
            InetAddress[] found = lookup.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Passed<>(found, host + " is " + Arrays.stream(found).map(InetAddress::getHostAddress)
                    .collect(Collectors.joining(", ")));
        } catch (TimeoutException e) {
            throw new StepFailed("No answer from the DNS server for " + host + " within " + seconds(timeout) + ".",
                    "Check the gateway's network and its DNS server (/etc/resolv.conf), or put the broker's IP "
                            + "address in brokerUri (conf/" + HeadendComponent.PID + ".cfg).");
        } catch (ExecutionException e) {
            throw new StepFailed("The broker's host name " + host + " cannot be resolved (" + e.getCause().getMessage()
                    + ").", "Check the spelling of the host in brokerUri (conf/" + HeadendComponent.PID
                    + ".cfg) and the gateway's DNS server (/etc/resolv.conf); or use the broker's IP address.");
        }
    }

    private Passed<Socket> connect(InetAddress[] addresses, String host, int port) throws StepFailed {
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
                socket.setTcpNoDelay(true);
                return new Passed<>(socket, "connected to " + address.getHostAddress() + " port " + port);
            } catch (IOException e) {
                close(socket);
                last = e;
            }
        }
        String where = host + " port " + port;
        if (last instanceof SocketTimeoutException) {
            throw new StepFailed("No answer from " + where + " within " + seconds(timeout)
                    + ": the packets are dropped on the way.", "Check that the gateway's network lets it out to "
                    + where + " (firewall, VPN, APN of the modem) and that the address in brokerUri is right.");
        }
        if (last instanceof java.net.NoRouteToHostException) {
            throw new StepFailed("No route from the gateway to " + where + " (" + last.getMessage() + ").",
                    "Check the gateway's network connection and default route (cable, Wi-Fi or modem).");
        }
        throw new StepFailed("Nothing accepts connections on " + where + " ("
                + (last == null ? "no address" : last.getMessage()) + ").", "Check the port in brokerUri (usually "
                + "8883 for ssl://), that the broker is running, and that no firewall rejects the connection.");
    }

    private Passed<Boolean> handshake(Socket tcp, String host, int port) throws StepFailed {
        SSLContext tls;
        try {
            tls = identity.clientTlsContext();
        } catch (GeneralSecurityException e) {
            close(tcp);
            throw new StepFailed("The gateway cannot present a device certificate: " + e.getMessage() + ".",
                    "Commission the gateway: create the request with mg:csr, have the head-end sign it, and "
                            + "install the certificate and the head-end CA chain with mg:install-cert.");
        }
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(tcp, host, port, true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // as the link: the broker must be who it says
            socket.setSSLParameters(parameters);
            socket.setSoTimeout((int) timeout.toMillis());
            socket.startHandshake();
            // with TLS 1.3 a broker refuses the device certificate only after the handshake: listen briefly
            socket.setSoTimeout((int) REFUSAL_WAIT.toMillis());
            try {
                if (socket.getInputStream().read() < 0) {
                    throw new StepFailed("The broker closed the connection right after the handshake: it does not "
                            + "accept the gateway's certificate.", refusedCertificateFix());
                }
            } catch (SocketTimeoutException quiet) {
                // nothing said: the broker waits for MQTT CONNECT, as it should
            }
            X509Certificate broker = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return new Passed<>(Boolean.TRUE, socket.getSession().getProtocol() + "; broker certificate "
                    + broker.getSubjectX500Principal().getName() + " issued by "
                    + broker.getIssuerX500Principal().getName() + ", valid until " + broker.getNotAfter().toInstant()
                    + "; the gateway presented its device certificate");
        } catch (IOException e) {
            throw TlsFailure.explain(e, host, port, timeout);
        }
    }

    private Passed<MqttAsyncClient> mqttConnect() throws StepFailed, InterruptedException {
        String clientId = identity.gatewayId() + "-check";
        MqttAsyncClient client;
        try {
            client = new MqttAsyncClient(settings.brokerUri(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new StepFailed("The MQTT client cannot be created for " + settings.brokerUri() + ": "
                    + e.getMessage(), "Check brokerUri in conf/" + HeadendComponent.PID + ".cfg.");
        }
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setConnectionTimeout((int) Math.max(1, timeout.toSeconds()));
        options.setAutomaticReconnect(false);
        options.setTopicAliasMaximum(0);
        try {
            if (settings.usesTls()) {
                options.setSocketFactory(NoDelaySocketFactories.tls(identity.clientTlsContext().getSocketFactory()));
                options.setHttpsHostnameVerificationEnabled(true);
            } else {
                options.setSocketFactory(NoDelaySocketFactories.plain());
            }
            client.connect(options).waitForCompletion(timeout.toMillis() + 1000);
            if (!client.isConnected()) {
                throw new MqttException(org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_CLIENT_TIMEOUT);
            }
            return new Passed<>(client, "connected with MQTT 5 as " + clientId + " (clean session, nothing kept)");
        } catch (GeneralSecurityException e) {
            closeQuietly(client);
            throw new StepFailed("The gateway cannot present a device certificate: " + e.getMessage() + ".",
                    "Install the device certificate with mg:install-cert.");
        } catch (MqttException e) {
            closeQuietly(client);
            throw MqttFailure.explain(e, settings.brokerUri(), identity.gatewayId(), timeout);
        }
    }

    private Passed<String> roundTrip(MqttAsyncClient client) throws StepFailed, InterruptedException {
        String gatewayId = identity.gatewayId();
        String nonce = UUID.randomUUID().toString();
        String replies = "mg/v1/" + gatewayId + "/replies/link-check-" + nonce.substring(0, 8);
        String commandTopic = "mg/v1/" + gatewayId + "/cmd/get-status";
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        client.setCallback(new Answers(replies, nonce.getBytes(StandardCharsets.UTF_8), answer));
        String aclFix = "The broker must let the gateway use its own topics mg/v1/" + gatewayId + "/# (mosquitto: "
                + "pattern readwrite mg/v1/%u/#): ask the head-end operator to check the broker's ACL.";
        try {
            IMqttToken subscribed = client.subscribe(new MqttSubscription(replies, 1));
            subscribed.waitForCompletion(timeout.toMillis());
            if (refused(subscribed)) {
                throw new StepFailed("The broker refused the subscription to " + replies + " (reason 0x"
                        + Integer.toHexString(subscribed.getReasonCodes()[0]) + ").", aclFix);
            }
            MqttMessage command = new MqttMessage(("{\"schema\":\"cmd/v1\",\"msgId\":\"link-check-" + nonce + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            command.setQos(1);
            MqttProperties properties = new MqttProperties();
            properties.setResponseTopic(replies);
            properties.setCorrelationData(nonce.getBytes(StandardCharsets.UTF_8));
            properties.setContentType("application/json");
            properties.setPayloadFormat(true);
            command.setProperties(properties);
            IMqttToken published = client.publish(commandTopic, command);
            published.waitForCompletion(timeout.toMillis());
            if (refused(published)) {
                throw new StepFailed("The broker refused the command on " + commandTopic + " (reason 0x"
                        + Integer.toHexString(published.getReasonCodes()[0]) + ").", aclFix);
            }
        } catch (MqttException e) {
            throw MqttFailure.explain(e, settings.brokerUri(), gatewayId, timeout);
        }
        byte[] payload;
        try {
            payload = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw unanswered(gatewayId);
        }
        JsonObject response;
        try {
            response = JsonParser.parseString(new String(payload, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new StepFailed("The answer on " + replies + " is not a command response: "
                    + abbreviate(new String(payload, StandardCharsets.UTF_8)), "Make sure only this gateway "
                    + "uses the certificate of " + gatewayId + "; another client may be answering in its name.");
        }
        if (!response.has("ok") || !response.get("ok").getAsBoolean()) {
            String message = response.has("error") && response.get("error").isJsonObject()
                    && response.getAsJsonObject("error").has("message")
                    ? response.getAsJsonObject("error").get("message").getAsString() : abbreviate(response.toString());
            throw new StepFailed("The gateway received get-status but answered with an error: " + message,
                    "Look at the gateway log around this time for the cause.");
        }
        return new Passed<>("sent get-status to " + commandTopic + "; the gateway's link answered on " + replies,
                "the gateway's link received get-status through the broker and its answer came back");
    }

    private StepFailed unanswered(String gatewayId) {
        LinkStatus status = live.get();
        if (status == null || !status.connected()) {
            String state = status == null ? "not running" : status.state().name().toLowerCase().replace('_', ' ');
            String error = status == null || status.lastError() == null ? "" : "; its last error: " + status.lastError();
            return new StepFailed("The broker took the command, but no answer came within " + seconds(timeout)
                    + ": the gateway's own link is " + state + error + ".", "The steps above passed with the same "
                    + "settings, so the link should connect at its next attempt; wait a minute and run the check "
                    + "again. If it stays down, restart the link by saving conf/" + HeadendComponent.PID + ".cfg.");
        }
        return new StepFailed("The broker took the command, but no answer came back within " + seconds(timeout)
                + " although the gateway's link is connected.", "The broker must deliver mg/v1/" + gatewayId
                + "/cmd/+ to the gateway and mg/v1/" + gatewayId + "/replies/+ back to it: ask the head-end "
                + "operator to check the broker's ACL for mg/v1/" + gatewayId + "/#.");
    }

    private static boolean refused(IMqttToken token) {
        int[] codes = token.getReasonCodes();
        return codes != null && codes.length > 0 && codes[0] >= 0x80;
    }

    private static String refusedCertificateFix() {
        return "Ask the head-end operator to check that the broker trusts the CA that signed the gateway's "
                + "certificate, or install a certificate signed by the head-end CA (mg:csr, mg:install-cert).";
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private void disconnect(MqttAsyncClient client) {
        try {
            client.disconnect(timeout.toMillis()).waitForCompletion(timeout.toMillis());
        } catch (MqttException ignored) {
            // the check's outcome is known; a lost DISCONNECT changes nothing
        }
        closeQuietly(client);
    }

    private static void closeQuietly(MqttAsyncClient client) {
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // nothing left to release
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that failed
        }
    }

    /** A step's outcome: what the next step needs, and what the technician reads. */
    record Passed<T>(T value, String detail) {
    }

    /** A failed step: what was found and what to try, both for a technician. */
    static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final String fix;

        StepFailed(String detail, String fix) {
            super(detail);
            this.fix = fix;
        }
    }

    @FunctionalInterface
    private interface StepBody<T> {
        Passed<T> run() throws StepFailed, InterruptedException;
    }

    /** Runs steps in order, timing each and telling progress when it starts and ends. */
    private static final class Run {
        private final Consumer<LinkCheckStep> progress;
        private final List<LinkCheckStep> steps;
        LinkCheckStage current = LinkCheckStage.DNS;

        Run(Consumer<LinkCheckStep> progress, List<LinkCheckStep> steps) {
            this.progress = progress;
            this.steps = steps;
        }

        /** The step's value, or null when it failed (the failure is recorded). */
        <T> T step(LinkCheckStage stage, StepBody<T> body) throws InterruptedException {
            current = stage;
            progress.accept(new LinkCheckStep(stage, LinkCheckOutcome.RUNNING, Duration.ZERO, "running", null));
            long start = System.nanoTime();
            try {
                Passed<T> passed = body.run();
                add(new LinkCheckStep(stage, LinkCheckOutcome.PASSED, since(start), passed.detail(), null));
                return passed.value();
            } catch (StepFailed e) {
                add(new LinkCheckStep(stage, LinkCheckOutcome.FAILED, since(start), e.getMessage(), e.fix));
                return null;
            }
        }

        void add(LinkCheckStep step) {
            steps.add(step);
            progress.accept(step);
        }

        private static Duration since(long start) {
            return Duration.ofNanos(System.nanoTime() - start);
        }
    }

    /** Collects the one answer with our correlation data on our replies topic. */
    private static final class Answers implements MqttCallback {
        private final String topic;
        private final byte[] correlation;
        private final CompletableFuture<byte[]> answer;

        Answers(String topic, byte[] correlation, CompletableFuture<byte[]> answer) {
            this.topic = topic;
            this.correlation = correlation;
            this.answer = answer;
        }

        @Override
        public void messageArrived(String arrivedOn, MqttMessage message) {
            MqttProperties p = message.getProperties();
            if (topic.equals(arrivedOn) && p != null && Arrays.equals(correlation, p.getCorrelationData())) {
                answer.complete(message.getPayload());
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            answer.completeExceptionally(new IOException("disconnected: " + response));
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            // reported through the tokens
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // the publish token is awaited directly
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // connected before the callback is set
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
