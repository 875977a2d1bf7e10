// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HeadendSimulatorTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static Pki pki;
    static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        pki = Pki.create(dir);
        broker = EmbeddedBroker.mutualTls(pki).build().start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    static HeadendSimulator headend(boolean shared) throws Exception {
        return HeadendSimulator.connectTo(broker.uri()).tls(pki.sslContext(pki.identityFor(Pki.HEADEND_CN)))
                .sharedSubscription(shared).start();
    }

    static TestClient gateway(String id) throws Exception {
        return TestClient.connect(broker.uri(), pki.sslContext(pki.identityFor(id)));
    }

    static String batch(String msgId, String meter, String... tsAndIds) {
        StringBuilder b = new StringBuilder("{\"schema\":\"readings/v1\",\"msgId\":\"" + msgId + "\",\"readings\":[");
        for (int i = 0; i < tsAndIds.length; i += 2) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"id\":\"").append(tsAndIds[i + 1]).append("\",\"meter\":\"").append(meter)
                    .append("\",\"obis\":\"1-0:1.8.0*255\",\"value\":12.5,\"scaler\":0,\"unit\":\"kWh\",\"ts\":\"")
                    .append(tsAndIds[i]).append("\",\"status\":\"ok\"}");
        }
        return b.append("]}").toString();
    }

    @Test
    void inflatesGzippedReadingsAndReportsWhatDoesNotInflateWithoutLosingTheConnection() throws Exception {
        try (HeadendSimulator headend = headend(false); TestClient gw = gateway("gw-gzip")) {
            MqttProperties gzip = new MqttProperties();
            gzip.setContentType("application/json");
            gzip.setPayloadFormat(false);
            gzip.setUserProperties(new java.util.ArrayList<>(List.of(new UserProperty("content-encoding", "gzip"))));
            byte[] zipped = ContentDecodingTest.gzip(batch("z1", "m1", "2026-01-01T00:00:00Z", "r1",
                    "2026-01-01T00:15:00Z", "r2").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            gw.publish("mg/v1/gw-gzip/readings", zipped, false, gzip);
            gw.publish("mg/v1/gw-gzip/readings", java.util.Arrays.copyOf(zipped, zipped.length / 2), false, gzip);
            gw.publish("mg/v1/gw-gzip/readings", batch("p1", "m1", "2026-01-01T00:30:00Z", "r3"), false);

            assertThat(headend.awaitReadings("gw-gzip", "m1", 3, WAIT)).extracting(r -> r.get("id").getAsString())
                    .containsExactly("r1", "r2", "r3");
            assertThat(headend.rejected()).singleElement().satisfies(o -> {
                assertThat(o.gateway()).isEqualTo("gw-gzip");
                assertThat(o.rejected()).contains("corrupt or truncated");
            });
            assertThat(headend.isConnected()).isTrue();
        }
    }

    @Test
    void dropsRepeatedMessagesAndRepeatedReadings() throws Exception {
        try (HeadendSimulator headend = headend(false); TestClient gw = gateway("gw-dedupe")) {
            String first = batch("b1", "m1", "2026-01-01T00:00:00Z", "r1", "2026-01-01T00:15:00Z", "r2");
            gw.publish("mg/v1/gw-dedupe/readings", first, false);
            gw.publish("mg/v1/gw-dedupe/readings", first, false); // resent after a reconnect: same msgId
            // re-cut batch after a reconnect: r2 again with a new one
            gw.publish("mg/v1/gw-dedupe/readings",
                    batch("b2", "m1", "2026-01-01T00:15:00Z", "r2", "2026-01-01T00:30:00Z", "r3"), false);
            gw.publish("mg/v1/gw-dedupe/readings", batch("b3", "m1", "2026-01-01T00:45:00Z", "r4"), false);

            List<JsonObject> readings = headend.awaitReadings("gw-dedupe", "m1", 4, WAIT);
            assertThat(readings).extracting(r -> r.get("id").getAsString()).containsExactly("r1", "r2", "r3", "r4");
            assertThat(headend.duplicatesDropped()).isEqualTo(1);
            assertThat(headend.duplicateReadingsDropped()).isEqualTo(1);
            assertThat(headend.orderingViolations()).isEmpty();
            assertThat(headend.counts()).containsEntry("gw-dedupe/readings", 3L);
        }
    }

    @Test
    void flagsAReadingThatArrivesOutOfOrder() throws Exception {
        try (HeadendSimulator headend = headend(false); TestClient gw = gateway("gw-order")) {
            gw.publish("mg/v1/gw-order/readings", batch("o1", "m7", "2026-01-01T01:00:00Z", "late"), false);
            gw.publish("mg/v1/gw-order/readings", batch("o2", "m7", "2026-01-01T00:45:00Z", "early"), false);
            headend.awaitReadings("gw-order", "m7", 2, WAIT);
            assertThat(headend.orderingViolations()).singleElement().satisfies(v -> {
                assertThat(v.gateway()).isEqualTo("gw-order");
                assertThat(v.meter()).isEqualTo("m7");
                assertThat(v.readingId()).isEqualTo("early");
                assertThat(v.toString()).contains("2026-01-01T00:45:00Z", "2026-01-01T01:00:00Z");
            });
        }
    }

    @Test
    void commandRoundTripWithRequestResponse() throws Exception {
        try (HeadendSimulator headend = headend(false); TestClient gw = respondingGateway("gw-cmd")) {
            CommandResponse status = headend.getStatus("gw-cmd", WAIT);
            assertThat(status.ok()).isTrue();
            assertThat(status.command()).isEqualTo("get-status");
            assertThat(status.result().get("gateway").getAsString()).isEqualTo("gw-cmd");

            CommandResponse read = headend.readNow("gw-cmd", "m1", WAIT);
            assertThat(read.ok()).isTrue();
            assertThat(read.result().get("meter").getAsString()).isEqualTo("m1");

            CommandResponse unknown = headend.command("gw-cmd", "self-destruct", null, WAIT);
            assertThat(unknown.ok()).isFalse();
            assertThat(unknown.errorCode()).isEqualTo("unknown-command");
        }
    }

    @Test
    void commandToASilentGatewayTimesOutWithAClearMessage() throws Exception {
        try (HeadendSimulator headend = headend(false)) {
            assertThatThrownBy(() -> headend.readNow("gw-silent", "m1", Duration.ofMillis(300)))
                    .isInstanceOf(TimeoutException.class).hasMessageContaining("gw-silent")
                    .hasMessageContaining("read-now");
            assertThatThrownBy(() -> headend.command("gw-silent", "x/#", null, WAIT))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x/#'");
            assertThatThrownBy(() -> headend.getStatus("gw+", WAIT))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'gw+'");
        }
    }

    @Test
    void sharedSubscriptionReceivesAndStillGetsItsOwnReplies() throws Exception {
        try (HeadendSimulator headend = headend(true); TestClient gw = respondingGateway("gw-share")) {
            gw.publish("mg/v1/gw-share/status",
                    "{\"schema\":\"status/v1\",\"msgId\":\"s1\",\"state\":\"online\",\"version\":\"1\",\"meters\":[]}",
                    true);
            assertThat(headend.awaitState("gw-share", "online", WAIT).get("version").getAsString()).isEqualTo("1");
            assertThat(headend.readNow("gw-share", "m2", WAIT).ok()).isTrue();
        }
    }

    @Test
    void sendsCreditTokensToTheGateway() throws Exception {
        try (HeadendSimulator headend = headend(false); TestClient gw = gateway("gw-token")) {
            gw.subscribe("mg/v1/gw-token/credit/tokens");
            String msgId = headend.sendToken("gw-token", "aaa.bbb.ccc", WAIT);
            JsonObject doc = JsonParser.parseString(gw.next().payload()).getAsJsonObject();
            assertThat(doc.get("schema").getAsString()).isEqualTo("token/v1");
            assertThat(doc.get("msgId").getAsString()).isEqualTo(msgId);
            assertThat(doc.get("token").getAsString()).isEqualTo("aaa.bbb.ccc");
        }
    }

    @Test
    void keepsWorkingForReconnectingClientsAfterABrokerRestart() throws Exception {
        try (EmbeddedBroker own = EmbeddedBroker.mutualTls(pki).build().start();
                HeadendSimulator headend = HeadendSimulator.connectTo(own.uri())
                        .tls(pki.sslContext(pki.identityFor(Pki.HEADEND_CN))).start();
                TestClient gw = TestClient.connect(own.uri(), pki.sslContext(pki.identityFor("gw-restart")),
                        o -> o.setAutomaticReconnectDelay(1, 1))) {
            gw.publish("mg/v1/gw-restart/readings", batch("x1", "m1", "2026-01-01T00:00:00Z", "x1"), false);
            headend.awaitReadings("gw-restart", "m1", 1, WAIT);
            int port = own.port();

            own.restart();

            assertThat(own.port()).isEqualTo(port);
            TestClient again = TestClient.connect(own.uri(), pki.sslContext(pki.identityFor("gw-restart")));
            try {
                // messages sent before the head-end has resubscribed are lost (no persistence): resend the
                // same reading in new batches until the reconnected head-end has it
                long deadline = System.nanoTime() + WAIT.toNanos();
                for (int n = 2; headend.readings("gw-restart", "m1").size() < 2; n++) {
                    assertThat(System.nanoTime()).as("head-end back within " + WAIT).isLessThan(deadline);
                    again.publish("mg/v1/gw-restart/readings", batch("x" + n, "m1", "2026-01-01T00:15:00Z", "x2"), false);
                    try {
                        headend.awaitReadings("gw-restart", "m1", 2, Duration.ofMillis(500));
                    } catch (AssertionError notYet) {
                        // still reconnecting
                    }
                }
                assertThat(headend.readings("gw-restart", "m1")).hasSize(2);
                assertThat(headend.isConnected()).isTrue();
            } finally {
                again.close();
            }
        }
    }

    static TestClient respondingGateway(String id) throws Exception {
        return TestClient.answeringCommands(gateway(id), id);
    }
}
