// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metergate.headend.HeadEnd.on;
import static org.metergate.headend.LinkFixture.eventually;
import static org.metergate.headend.LinkFixture.link;
import static org.metergate.headend.LinkFixture.settings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Retention;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.metergate.testing.MqttContractSchemas;

/** The link against an embedded Artemis MQTT 5 broker with mutual TLS. One broker for the whole class. */
@Timeout(30)
class HeadendLinkTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static TestPki pki;
    static TestBroker broker;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final MemoryOutbox outbox = new MemoryOutbox();
    private final RecordingLog log = new RecordingLog();
    private final DownlinkTest.TestMetering metering = new DownlinkTest.TestMetering();
    private final DownlinkTest.TestCredit credit = new DownlinkTest.TestCredit();

    @BeforeAll
    static void startBroker() throws Exception {
        pki = new TestPki(dir);
        broker = new TestBroker(pki, true).start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private HeadEnd headEnd(String... filters) throws Exception {
        return closing(new HeadEnd(broker.tlsUri(), pki.client("headend"))).subscribe(filters);
    }

    private HeadendLink start(String gw, HeadendSettings s) throws Exception {
        HeadendLink l = closing(link(s, new TestIdentity(gw, pki.client(gw)), outbox, metering, credit, log));
        l.start();
        return l;
    }

    private static JsonObject json(HeadEnd.Received r) {
        return JsonParser.parseString(r.payload()).getAsJsonObject();
    }

    @Test
    void connectsWithMutualTlsAndPublishesRetainedBirthThenOfflineOnShutdown() throws Exception {
        HeadendLink link = start("gw-birth", settings(broker.tlsUri(), 10, 4, false));
        eventually("link connected", WAIT, () -> link.status().connected());

        // subscribed after the fact: the birth is retained
        HeadEnd late = headEnd("mg/v1/gw-birth/status");
        HeadEnd.Received birth = late.await(on("mg/v1/gw-birth/status"), WAIT);
        assertThat(birth.retained()).isTrue();
        assertThat(birth.contentType()).isEqualTo("application/json");
        MqttContractSchemas.assertValid("status.json", birth.payload());
        JsonObject b = json(birth);
        assertThat(b.get("state").getAsString()).isEqualTo("online");
        assertThat(b.get("version").getAsString()).isEqualTo("0.1.0.test");
        assertThat(b.getAsJsonArray("meters").get(0).getAsJsonObject().get("meter").getAsString()).isEqualTo("m1");

        link.close();
        HeadEnd.Received offline = late.await(r -> r.payload().contains("\"offline\""), WAIT);
        MqttContractSchemas.assertValid("status.json", offline.payload());
        assertThat(json(offline).get("reason").getAsString()).isEqualTo("shutdown");
        assertThat(link.status().state()).isEqualTo(LinkState.STOPPED);

        HeadEnd later = headEnd("mg/v1/gw-birth/status");
        HeadEnd.Received retained = later.await(on("mg/v1/gw-birth/status"), WAIT);
        assertThat(retained.retained()).isTrue();
        assertThat(json(retained).get("state").getAsString()).isEqualTo("offline");
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
        HeadendLink link = closing(link(settings(broker.tlsUri(), 10, 4, false),
                new TestIdentity("gw-nocert", pki.clientWithoutCertificate()), outbox, metering, credit, log));
        link.start();
        eventually("a reported error", WAIT, () -> link.status().lastError() != null);
        assertThat(link.status().connected()).isFalse();
        assertThat(link.status().published()).isZero();
    }

    @Test
    void clientWithForeignCertificateIsRefusedAndTheErrorSaysWhatToCheck() throws Exception {
        HeadendLink link = closing(link(settings(broker.tlsUri(), 10, 4, false),
                new TestIdentity("gw-foreign", pki.foreignClient("gw-foreign")), outbox, metering, credit, log));
        link.start();
        eventually("a reported error", WAIT, () -> link.status().lastError() != null);
        assertThat(link.status().connected()).isFalse();
        assertThat(link.status().lastError()).containsAnyOf("TLS", "certificate", "closed", "lost");
    }

    @Test
    void uncommissionedDeviceReportsTheMissingStep() throws Exception {
        HeadendLink link = closing(link(settings(broker.tlsUri(), 10, 4, false), new TestIdentity("gw-new", null),
                outbox, metering, credit, log));
        link.start();
        eventually("a reported error", WAIT, () -> link.status().lastError() != null);
        assertThat(link.status().lastError()).contains("device identity not ready", "commissioning");
    }

    @Test
    void plaintextOnlyWhenAllowedAndThenWithAWarningAtStart() throws Exception {
        HeadEnd headEnd = headEnd("mg/v1/gw-plain/status");
        HeadendLink link = start("gw-plain", settings(broker.plainUri(), 10, 4, true));
        headEnd.await(r -> r.payload().contains("\"online\""), WAIT);
        assertThat(link.status().connected()).isTrue();
        assertThat(log.contains("WARN", "must not be used in the field")).isTrue();
    }

    @Test
    void drainsTheBacklogInOrderAndAcknowledgesOnlyWhatWasDelivered() throws Exception {
        HeadEnd headEnd = headEnd("mg/v1/gw-drain/#");
        for (int i = 0; i < 95; i++) {
            outbox.append(MessageKind.READING, "m" + (i % 3), Retention.ROUTINE, UplinkPlannerTest.reading("m" + (i % 3), i));
        }
        outbox.append(MessageKind.EVENT, "m1", Retention.ALARM,
                "{\"type\":\"tamper\",\"ts\":\"2026-01-01T00:00:00Z\",\"detail\":\"terminal cover opened\"}");
        int total = outbox.size();
        HeadendLink link = start("gw-drain", settings(broker.tlsUri(), 10, 3, false));

        eventually("outbox drained", WAIT, () -> outbox.size() == 0);
        List<HeadEnd.Received> got = headEnd.awaitAll(
                l -> readingValues(l).size() >= 95, WAIT);
        assertThat(outbox.acknowledgements()).hasSize(total).allSatisfy((id, n) -> assertThat(n.get()).isEqualTo(1));

        List<HeadEnd.Received> data = got.stream().filter(r -> !r.topic().endsWith("/status")).collect(Collectors.toList());
        assertThat(data.get(0).topic()).isEqualTo("mg/v1/gw-drain/events");
        MqttContractSchemas.assertValid("events.json", data.get(0).payload());
        for (HeadEnd.Received r : data.subList(1, data.size())) {
            assertThat(r.topic()).isEqualTo("mg/v1/gw-drain/readings");
            assertThat(r.contentType()).isEqualTo("application/json");
            MqttContractSchemas.assertValid("readings.json", r.payload());
        }
        assertThat(readingValues(data)).hasSize(95).isSorted();
        assertThat(link.status().lastPublish()).isNotNull();
        assertThat(link.status().backlog().messages()).isZero();
    }

    @Test
    void aFreshAlarmOvertakesARoutineBacklog() throws Exception {
        HeadEnd headEnd = headEnd("mg/v1/gw-prio/#");
        for (int i = 0; i < 200; i++) {
            outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, UplinkPlannerTest.reading("m1", i));
        }
        // the alarm is raised while the readings are being drained
        outbox.onFetch(n -> {
            if (n == 12) {
                outbox.append(MessageKind.EVENT, "m1", Retention.ALARM,
                        "{\"type\":\"credit-exhausted\",\"ts\":\"2026-01-01T00:00:00Z\"}");
            }
        });
        start("gw-prio", settings(broker.tlsUri(), 5, 1, false));

        List<HeadEnd.Received> got = headEnd.awaitAll(l -> readingValues(l).size() >= 200
                && l.stream().anyMatch(on("mg/v1/gw-prio/events")), WAIT);
        List<String> topics = got.stream().map(HeadEnd.Received::topic).filter(t -> !t.endsWith("/status"))
                .collect(Collectors.toList());
        int alarmAt = topics.indexOf("mg/v1/gw-prio/events");
        assertThat(alarmAt).as("alarm position among %s messages", topics.size()).isBetween(1, topics.size() - 10);
    }

    @Test
    void commandsAreAnsweredOnTheResponseTopicWithTheCorrelationData() throws Exception {
        HeadEnd headEnd = headEnd("mg/v1/gw-cmd/status", "replies/gw-cmd");
        HeadendLink link = start("gw-cmd", settings(broker.tlsUri(), 10, 4, false));
        headEnd.await(r -> r.payload().contains("\"online\""), WAIT);

        headEnd.publish("mg/v1/gw-cmd/cmd/get-status", "{\"schema\":\"cmd/v1\",\"msgId\":\"q1\"}", "replies/gw-cmd",
                new byte[] {1, 2, 3});
        HeadEnd.Received status = headEnd.await(r -> r.payload().contains("\"q1\""), WAIT);
        assertThat(status.correlationData()).containsExactly(1, 2, 3);
        assertThat(status.contentType()).isEqualTo("application/json");
        MqttContractSchemas.assertValid("cmd-response.json", status.payload());
        assertThat(json(status).getAsJsonObject("result").getAsJsonObject("link").get("connected").getAsBoolean())
                .isTrue();

        headEnd.publish("mg/v1/gw-cmd/cmd/read-now", "{\"schema\":\"cmd/v1\",\"msgId\":\"q2\",\"meter\":\"m1\"}",
                "replies/gw-cmd", "corr-2".getBytes(StandardCharsets.UTF_8));
        HeadEnd.Received read = headEnd.await(r -> r.payload().contains("\"q2\""), WAIT);
        assertThat(new String(read.correlationData(), StandardCharsets.UTF_8)).isEqualTo("corr-2");
        MqttContractSchemas.assertValid("cmd-response.json", read.payload());
        assertThat(json(read).getAsJsonObject("result").getAsJsonArray("readings")).hasSize(3);
        assertThat(metering.reads).containsExactly("m1");

        headEnd.publish("mg/v1/gw-cmd/cmd/read-now", "{\"meter\": ", "replies/gw-cmd", new byte[] {4});
        HeadEnd.Received malformed = headEnd.await(r -> r.correlationData() != null && r.correlationData().length == 1
                && r.correlationData()[0] == 4, WAIT);
        assertThat(json(malformed).getAsJsonObject("error").get("code").getAsString()).isEqualTo("malformed-request");
        MqttContractSchemas.assertValid("cmd-response.json", malformed.payload());

        headEnd.publish("mg/v1/gw-cmd/cmd/format-disk", "{\"schema\":\"cmd/v1\",\"msgId\":\"q5\"}", "replies/gw-cmd",
                new byte[] {5});
        HeadEnd.Received unknown = headEnd.await(r -> r.payload().contains("\"q5\""), WAIT);
        assertThat(json(unknown).getAsJsonObject("error").get("code").getAsString()).isEqualTo("unknown-command");

        headEnd.publish("mg/v1/gw-cmd/cmd/get-status", "{\"schema\":\"cmd/v1\",\"msgId\":\"q6\"}", null, null);
        eventually("log line for the unanswerable command", WAIT,
                () -> log.contains("WARN", "without a responseTopic"));

        // the link survived all of it
        headEnd.publish("mg/v1/gw-cmd/cmd/get-status", "{\"schema\":\"cmd/v1\",\"msgId\":\"q7\"}", "replies/gw-cmd",
                new byte[] {7});
        headEnd.await(r -> r.payload().contains("\"q7\""), WAIT);
        assertThat(link.status().connected()).isTrue();
    }

    @Test
    void creditTokensGoToPrepayAndTheReceiptComesBack() throws Exception {
        HeadEnd headEnd = headEnd("mg/v1/gw-token/#");
        start("gw-token", settings(broker.tlsUri(), 10, 4, false));
        headEnd.await(r -> r.payload().contains("\"online\""), WAIT);

        String jws = "eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJqdGktMSJ9.c2ln";
        String token = "{\"schema\":\"token/v1\",\"msgId\":\"tk1\",\"token\":\"" + jws + "\"}";
        MqttContractSchemas.assertValid("token.json", token);
        headEnd.publish("mg/v1/gw-token/credit/tokens", token, null, null);

        HeadEnd.Received receipt = headEnd.await(on("mg/v1/gw-token/credit/receipts"), WAIT);
        MqttContractSchemas.assertValid("receipts.json", receipt.payload());
        assertThat(json(receipt).get("stage").getAsString()).isEqualTo("accepted");
        assertThat(credit.tokens).containsExactly(jws);
    }

    @Test
    void willSaysOfflineWhenTheLinkDiesAndTheLinkComesBack() throws Exception {
        TcpProxy proxy = closing(new TcpProxy(broker.tlsPort));
        HeadEnd headEnd = headEnd("mg/v1/gw-will/status");
        HeadendLink link = start("gw-will", settings("ssl://127.0.0.1:" + proxy.port(), 10, 4, false));
        headEnd.await(r -> r.payload().contains("\"online\""), WAIT);

        proxy.down(true);
        proxy.cut();

        HeadEnd.Received will = headEnd.await(r -> r.payload().contains("\"offline\""), WAIT);
        MqttContractSchemas.assertValid("status.json", will.payload());
        assertThat(json(will).get("reason").getAsString()).isEqualTo("link-lost");
        assertThat(link.status().connected()).isFalse();
        proxy.down(false);
        // back online through the same path, with a new birth after the will
        headEnd.awaitAll(l -> l.size() >= 3 && l.get(l.size() - 1).payload().contains("\"online\""), WAIT);
        eventually("reconnected", WAIT, () -> link.status().connected());
    }

    @Test
    void commandsBeyondTheQueueAreAnsweredBusyNotDropped() throws Exception {
        java.util.concurrent.CountDownLatch meterAnswers = new java.util.concurrent.CountDownLatch(1);
        DownlinkTest.TestMetering slowMeter = new DownlinkTest.TestMetering() {
            @Override
            public org.metergate.api.meter.MeterReadout readNow(String meterId)
                    throws org.metergate.api.meter.MeterException {
                try {
                    meterAnswers.await(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.readNow(meterId);
            }
        };
        HeadEnd headEnd = headEnd("mg/v1/gw-busy/status", "replies/gw-busy");
        HeadendLink l = closing(link(settings(broker.tlsUri(), 10, 4, false),
                new TestIdentity("gw-busy", pki.client("gw-busy")), outbox, slowMeter, credit, log));
        l.start();
        headEnd.await(r -> r.payload().contains("\"online\""), WAIT);

        int sent = 40; // one running, 32 queued, the rest cannot wait
        for (int i = 0; i < sent; i++) {
            headEnd.publish("mg/v1/gw-busy/cmd/read-now", "{\"schema\":\"cmd/v1\",\"msgId\":\"b" + i
                    + "\",\"meter\":\"m1\"}", "replies/gw-busy", new byte[] {(byte) i});
        }
        HeadEnd.Received busy = headEnd.await(r -> r.payload().contains("\"busy\""), WAIT);
        MqttContractSchemas.assertValid("cmd-response.json", busy.payload());
        meterAnswers.countDown();
        List<HeadEnd.Received> replies = headEnd.awaitAll(
                all -> all.stream().filter(r -> r.topic().equals("replies/gw-busy")).count() == sent, WAIT);
        long ok = replies.stream().filter(r -> r.topic().equals("replies/gw-busy") && r.payload().contains("\"ok\":true"))
                .count();
        assertThat(ok).isEqualTo(33);
    }

    @Test
    void drainsALargeBacklogOfReadoutsInBoundedMessagesHoldingFewRowsAtOnce() throws Exception {
        HeadEnd headEnd = headEnd("mg/v1/gw-big/readings");
        for (int n = 0; n < 600; n++) {
            outbox.append(MessageKind.READING, "m" + (n % 20), Retention.ROUTINE,
                    UplinkPlannerTest.readout("m" + (n % 20), n, 10));
        }
        int bytes = 16 * 1024;
        int window = 4;
        start("gw-big", LinkFixture.settings(broker.tlsUri(), 500, bytes, window, false));

        eventually("outbox drained", WAIT, () -> outbox.size() == 0);
        List<HeadEnd.Received> got = headEnd.awaitAll(l -> readingValues(l).size() >= 6000, WAIT);
        assertThat(readingValues(got)).hasSize(6000).isSorted();
        assertThat(got).allSatisfy(r -> assertThat(r.payload().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(bytes));
        // a readings message holds about 10 of these readouts: the rows of the window in flight and about as many
        // read ahead, never a large part of the backlog
        assertThat(outbox.largestRead()).isLessThanOrEqualTo(150);
    }

    @Test
    void anErrorInTheLinkThreadIsReportedAndTheLinkCarriesOn() throws Exception {
        HeadEnd headEnd = headEnd("mg/v1/gw-oom/readings");
        for (int i = 0; i < 50; i++) {
            outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, UplinkPlannerTest.reading("m1", i));
        }
        java.util.concurrent.atomic.AtomicBoolean thrown = new java.util.concurrent.atomic.AtomicBoolean();
        outbox.onFetch(n -> {
            if (n >= 3 && thrown.compareAndSet(false, true)) {
                throw new OutOfMemoryError("Java heap space");
            }
        });
        HeadendLink link = start("gw-oom", settings(broker.tlsUri(), 10, 2, false));

        eventually("outbox drained after the error", WAIT, () -> outbox.size() == 0);
        assertThat(thrown).isTrue();
        assertThat(link.status().lastError()).contains("ran out of memory", "tried again");
        assertThat(log.contains("ERROR", "ran out of memory")).isTrue();
        // batches sent before the error arrive again after it: wait for every value, not for 50 of them
        assertThat(readingValues(headEnd.awaitAll(l -> new java.util.HashSet<>(readingValues(l)).size() >= 50, WAIT))).containsAll(
                java.util.stream.IntStream.range(0, 50).boxed().toList());
        eventually("connected again", WAIT, () -> link.status().connected());
    }

    @Test
    void aBrokerThatHangsUpBeforeTheHandshakeIsNotBlamedOnTheCertificate() throws Exception {
        try (java.net.ServerSocket hangsUp = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!hangsUp.isClosed()) {
                    try {
                        hangsUp.accept().close();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            HeadendLink link = start("gw-hangup", settings("ssl://127.0.0.1:" + hangsUp.getLocalPort(), 10, 4, false));
            eventually("a reported error", WAIT, () -> link.status().lastError() != null);
            assertThat(link.status().lastError()).contains("closed the connection before the TLS handshake finished")
                    .doesNotContain("certificate");
        }
    }

    @Test
    void aRefusedConnectionIsReportedAsSuch() throws Exception {
        int closedPort = TestBroker.freePort();
        HeadendLink link = start("gw-refused", settings("ssl://127.0.0.1:" + closedPort, 10, 4, false));
        eventually("a reported error", WAIT, () -> link.status().lastError() != null);
        assertThat(link.status().lastError()).contains("refused the TCP connection").doesNotContain("certificate");
    }

    /** The numeric reading values in arrival order (the tests number readings 0..n). */
    static List<Integer> readingValues(List<HeadEnd.Received> received) {
        List<Integer> values = new ArrayList<>();
        for (HeadEnd.Received r : received) {
            if (r.topic().endsWith("/readings")) {
                json(r).getAsJsonArray("readings").forEach(e -> values.add(e.getAsJsonObject().get("value").getAsInt()));
            }
        }
        return values;
    }
}
