// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metergate.headend.LinkFixture.eventually;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.Retention;
import org.metergate.store.embedded.EmbeddedStore;
import org.metergate.store.embedded.Stores;
import org.metergate.testing.MqttContractSchemas;

/** The link over the store bundle's real outboxes (memory and SQLite WAL), with the metering bundle's payloads. */
@Timeout(60)
class StoreOutboxDrainTest {

    @TempDir
    static Path dir;
    static TestPki pki;
    static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        pki = new TestPki(dir);
        broker = new TestBroker(pki, false).start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    static String readings(String meter, int from, int count) {
        StringBuilder b = new StringBuilder("[");
        for (int i = from; i < from + count; i++) {
            String ts = java.time.Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i).toString();
            b.append(i > from ? "," : "").append("{\"id\":\"").append(meter).append("|1-0:1.8.0*255|").append(ts)
                    .append("\",\"meter\":\"").append(meter).append("\",\"obis\":\"1-0:1.8.0*255\",\"value\":").append(i)
                    .append(",\"scaler\":0,\"unit\":\"kWh\",\"ts\":\"").append(ts).append("\",\"status\":\"ok\"}");
        }
        return b.append(']').toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "sqlite"})
    void drainsTheStoresOutboxInOrder(String kind) throws Exception {
        EmbeddedStore store = kind.equals("memory") ? Stores.memory() : Stores.sqlite(dir.resolve("outbox.db"));
        Outbox outbox = store.outbox();
        String gw = "gw-store-" + kind;
        try (HeadEnd headEnd = new HeadEnd(broker.tlsUri(), pki.client("headend")).subscribe("mg/v1/" + gw + "/#")) {
            for (int r = 0; r < 40; r++) {
                outbox.append(MessageKind.READING, "m" + (r % 2), Retention.ROUTINE, readings("m" + (r % 2), r * 10, 10));
            }
            outbox.append(MessageKind.EVENT, "m1", Retention.ALARM, "{\"schema\":\"event/v1\",\"id\":\"m1|tamper|x\","
                    + "\"meter\":\"m1\",\"type\":\"tamper\",\"ts\":\"2026-03-01T00:00:00Z\",\"detail\":\"cover open\"}");
            HeadendLink link = new HeadendLink(LinkFixture.settings(broker.tlsUri(), 25, 4, false),
                    new TestIdentity(gw, pki.client(gw)), outbox, () -> null, () -> null, new RecordingLog(), "test",
                    Clock.systemUTC());
            try {
                link.start();
                eventually("outbox empty", Duration.ofSeconds(20), () -> outbox.stats().messages() == 0);
                List<HeadEnd.Received> got = headEnd.awaitAll(l -> HeadendLinkTest.readingValues(l).size() >= 400,
                        Duration.ofSeconds(20));
                List<HeadEnd.Received> data = got.stream().filter(r -> !r.topic().endsWith("/status"))
                        .collect(Collectors.toList());
                assertThat(data.get(0).topic()).endsWith("/events");
                data.forEach(r -> MqttContractSchemas.assertValid(r.topic().endsWith("/events") ? "events.json"
                        : "readings.json", r.payload()));
                assertThat(HeadendLinkTest.readingValues(data)).hasSize(400);
                for (String meter : List.of("m0", "m1")) {
                    assertThat(data.stream().filter(r -> r.topic().endsWith("/readings"))
                            .flatMap(r -> com.google.gson.JsonParser.parseString(r.payload()).getAsJsonObject()
                                    .getAsJsonArray("readings").asList().stream())
                            .filter(e -> e.getAsJsonObject().get("meter").getAsString().equals(meter))
                            .map(e -> e.getAsJsonObject().get("value").getAsInt()).collect(Collectors.toList()))
                            .isSorted().hasSize(200);
                }
            } finally {
                link.close();
                store.close();
            }
        }
    }
}
