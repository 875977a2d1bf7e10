// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metergate.headend.HeadEnd.on;
import static org.metergate.headend.LinkFixture.eventually;
import static org.metergate.headend.LinkFixture.link;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

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

/**
 * Readings batches travel gzipped (MQTT contract v1: user property {@code content-encoding: gzip}, payload format
 * indicator 0, content type of the inflated JSON) while everything else stays plain, and the inflated documents are
 * what the contract's schemas describe.
 */
@Timeout(60)
class CompressedReadingsTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path dir;
    static TestPki pki;
    static TestBroker broker;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final MemoryOutbox outbox = new MemoryOutbox();
    private final RecordingLog log = new RecordingLog();

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

    private HeadEnd headEnd(String filter) throws Exception {
        HeadEnd h = new HeadEnd(broker.tlsUri(), pki.client("headend")).subscribe(filter);
        toClose.add(h);
        return h;
    }

    private void start(String gw, boolean compress) throws Exception {
        HeadendSettings s = LinkFixture.settings(broker.tlsUri(), 50, 4, false);
        s = new HeadendSettings(s.brokerUri(), s.sessionExpirySeconds(), s.keepAliveSeconds(), s.batchMaxReadings(),
                s.batchMaxBytes(), s.batchMaxAge(), s.connectTimeoutSeconds(), s.reconnectInitial(), s.reconnectMax(),
                s.inflightWindow(), s.outboxPoll(), s.insecurePlaintext(), s.willDelaySeconds(), compress);
        HeadendLink l = link(s, new TestIdentity(gw, pki.client(gw)), outbox, new DownlinkTest.TestMetering(),
                new DownlinkTest.TestCredit(), log);
        toClose.add(l);
        l.start();
    }

    private void fillReadingsDailyAndAnEvent() {
        for (int i = 0; i < 40; i++) {
            outbox.append(MessageKind.READING, "d1", Retention.ROUTINE, "[" + UplinkPlannerTest.reading("d1", i) + "]");
        }
        outbox.append(MessageKind.READING, "d1", Retention.BILLING, ContractSchemasTest.DAILY);
        outbox.append(MessageKind.EVENT, "d1", Retention.ALARM, ContractSchemasTest.DRIFT);
    }

    @Test
    void readingsGoGzippedWithTheContractsPropertiesAndInflateToValidDocuments() throws Exception {
        HeadEnd headEnd = headEnd("mg/v1/gw-gzip/#");
        fillReadingsDailyAndAnEvent();
        start("gw-gzip", true);
        eventually("outbox drained", WAIT, () -> outbox.size() == 0);
        List<HeadEnd.Received> got = headEnd.awaitAll(l -> elements(l) >= 41 && l.stream()
                .anyMatch(on("mg/v1/gw-gzip/events")), WAIT);

        for (HeadEnd.Received r : got) {
            if (r.topic().endsWith("/readings")) {
                assertThat(r.contentEncoding()).isEqualTo("gzip");
                assertThat(r.utf8()).as("payload format indicator of a gzipped payload").isFalse();
                assertThat(r.contentType()).isEqualTo("application/json");
                assertThat(r.wireBytes()).isLessThan(r.payload().getBytes(StandardCharsets.UTF_8).length);
                MqttContractSchemas.assertValid("readings.json", r.payload());
            } else {
                assertThat(r.contentEncoding()).as("%s goes plain", r.topic()).isNull();
                assertThat(r.utf8()).isTrue();
                assertThat(r.wireBytes()).isEqualTo(r.payload().getBytes(StandardCharsets.UTF_8).length);
            }
        }
        HeadEnd.Received event = headEnd.await(on("mg/v1/gw-gzip/events"), WAIT);
        MqttContractSchemas.assertValid("clock-drift-event.json", event.payload());
        HeadEnd.Received status = headEnd.await(on("mg/v1/gw-gzip/status"), WAIT);
        MqttContractSchemas.assertValid("status.json", status.payload());
        JsonObject last = got.stream().filter(on("mg/v1/gw-gzip/readings")).map(r -> json(r.payload()))
                .filter(b -> b.toString().contains("daily/v1")).findFirst().orElseThrow();
        JsonObject daily = last.getAsJsonArray("readings").asList().stream().map(e -> e.getAsJsonObject())
                .filter(e -> e.has("schema")).findFirst().orElseThrow();
        MqttContractSchemas.assertValid("daily.json", daily.toString());
    }

    @Test
    void withCompressionOffReadingsGoAsPlainUtf8Json() throws Exception {
        HeadEnd headEnd = headEnd("mg/v1/gw-plainjson/readings");
        fillReadingsDailyAndAnEvent();
        start("gw-plainjson", false);
        List<HeadEnd.Received> got = headEnd.awaitAll(l -> elements(l) >= 41, WAIT);
        assertThat(got).isNotEmpty().allSatisfy(r -> {
            assertThat(r.contentEncoding()).isNull();
            assertThat(r.utf8()).isTrue();
            assertThat(r.wireBytes()).isEqualTo(r.payload().getBytes(StandardCharsets.UTF_8).length);
            MqttContractSchemas.assertValid("readings.json", r.payload());
        });
    }

    @Test
    void theByteLimitAppliesToTheJsonDocumentAndTheGzipMemberIsComplete() throws Exception {
        for (int i = 0; i < 400; i++) {
            outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, UplinkPlannerTest.reading("m1", i));
        }
        UplinkPlanner planner = new UplinkPlanner(outbox, 10_000, 4096, 4, Duration.ZERO, log,
                new ReadingsCompression());
        UplinkPlanner plain = new UplinkPlanner(outbox, 10_000, 4096, 4, Duration.ZERO, log);
        try {
            Publication zipped = planner.next(Instant.now()).publication();
            Publication same = plain.next(Instant.now()).publication();
            assertThat(zipped.contentEncoding()).isEqualTo(ReadingsCompression.GZIP);
            assertThat(same.contentEncoding()).isNull();
            byte[] inflated = gunzip(zipped.payload());
            assertThat(inflated).isEqualTo(same.payload());
            assertThat(inflated.length).isLessThanOrEqualTo(4096).isGreaterThan(3000);
            assertThat(zipped.payload().length).isLessThan(inflated.length / 4);
            assertThat(zipped.outboxIds()).isEqualTo(same.outboxIds());
            MqttContractSchemas.assertValid("readings.json", new String(inflated, StandardCharsets.UTF_8));
        } finally {
            planner.release();
        }
    }

    @Test
    void aReadoutLargerThanWhatAHeadEndInflatesGoesPlain() throws Exception {
        String huge = "x".repeat(ReadingsCompression.MAX_INFLATED_BYTES);
        outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, UplinkPlannerTest.reading("m1", 1)
                .replace("\"value\":1", "\"value\":\"" + huge + "\""));
        UplinkPlanner planner = new UplinkPlanner(outbox, 500, 65_536, 4, Duration.ZERO, log,
                new ReadingsCompression());
        try {
            Publication p = planner.next(Instant.now()).publication();
            assertThat(p.contentEncoding()).isNull();
            assertThat(p.payload().length).isGreaterThan(ReadingsCompression.MAX_INFLATED_BYTES);
        } finally {
            planner.release();
        }
    }

    private static int elements(List<HeadEnd.Received> received) {
        return received.stream().filter(r -> r.topic().endsWith("/readings"))
                .mapToInt(r -> json(r.payload()).getAsJsonArray("readings").size()).sum();
    }

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    static byte[] gunzip(byte[] gzip) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }
}
