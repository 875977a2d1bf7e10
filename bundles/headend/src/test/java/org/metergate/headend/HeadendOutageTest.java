// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metergate.headend.LinkFixture.eventually;
import static org.metergate.headend.LinkFixture.link;
import static org.metergate.headend.LinkFixture.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.Retention;

import com.google.gson.JsonParser;

/** The broker goes away and comes back: nothing accepted is lost, nothing is acknowledged twice. */
@Timeout(60)
class HeadendOutageTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private TestPki pki;
    private TestBroker broker;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final MemoryOutbox outbox = new MemoryOutbox();
    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void pki() throws Exception {
        pki = new TestPki(dir);
        broker = new TestBroker(pki, false);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        broker.close();
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    /** Starts the broker and a head-end subscriber before the held-back link may connect. */
    private HeadEnd bringBrokerBack(TestIdentity identity, String gw) throws Exception {
        identity.paused = true;
        broker.start();
        HeadEnd headEnd = closing(new HeadEnd(broker.tlsUri(), pki.client("headend"))).subscribe("mg/v1/" + gw + "/#");
        identity.paused = false;
        return headEnd;
    }

    private Set<String> allIds() {
        return outbox.all().stream().map(OutboxMessage::msgId).collect(Collectors.toSet());
    }

    @Test
    void backlogWaitsInTheOutboxWhileTheBrokerIsDownThenDrainsInOrder() throws Exception {
        for (int i = 0; i < 60; i++) {
            outbox.append(MessageKind.READING, "m" + (i % 3), Retention.ROUTINE, UplinkPlannerTest.reading("m" + (i % 3), i));
        }
        outbox.append(MessageKind.EVENT, null, Retention.ALARM, "{\"type\":\"power-restore\",\"ts\":\"2026-01-01T00:00:00Z\"}");
        Set<String> ids = allIds();
        TestIdentity identity = new TestIdentity("gw-down", pki.client("gw-down"));
        HeadendLink link = closing(link(settings(broker.tlsUri(), 7, 4, false), identity, outbox, null, null, log));
        link.start();

        eventually("several failed attempts", WAIT, () -> identity.attempts.get() >= 5);
        // each attempt's client is closed: no Paho threads pile up while the broker is away
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains("gw-down")).count())
                .isLessThanOrEqualTo(4);
        assertThat(link.status().connected()).isFalse();
        assertThat(link.status().lastError()).contains(broker.tlsUri());
        assertThat(link.status().backlog().messages()).isEqualTo(61);
        assertThat(outbox.acknowledgements()).isEmpty();

        HeadEnd headEnd = bringBrokerBack(identity, "gw-down");

        eventually("outbox drained", WAIT, () -> outbox.size() == 0);
        List<HeadEnd.Received> got = headEnd.awaitAll(l -> HeadendLinkTest.readingValues(l).size() >= 60, WAIT);
        assertThat(HeadendLinkTest.readingValues(got)).hasSize(60).isSorted();
        assertThat(got.stream().filter(r -> r.topic().endsWith("/events")).count()).isEqualTo(1);
        assertThat(outbox.acknowledgements().keySet()).isEqualTo(ids);
        assertThat(outbox.acknowledgements().values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(link.status().connected()).isTrue();
    }

    @Test
    void brokerStoppedMidDrainLosesNothingAndAcknowledgesNothingTwice() throws Exception {
        for (int i = 0; i < 600; i++) {
            outbox.append(MessageKind.READING, "m" + (i % 3), Retention.ROUTINE, UplinkPlannerTest.reading("m" + (i % 3), i));
        }
        Set<String> ids = allIds();
        CountDownLatch midDrain = new CountDownLatch(1);
        CountDownLatch carryOn = new CountDownLatch(1);
        outbox.onFetch(n -> {
            if (n == 30) {
                midDrain.countDown();
                try {
                    carryOn.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        broker.start();
        TestIdentity identity = new TestIdentity("gw-cut", pki.client("gw-cut"));
        HeadendLink link = closing(link(settings(broker.tlsUri(), 5, 4, false), identity, outbox, null, null, log));
        link.start();

        assertThat(midDrain.await(10, TimeUnit.SECONDS)).isTrue();
        broker.stop();
        carryOn.countDown();
        eventually("the link notices", WAIT, () -> !link.status().connected() && link.status().lastError() != null);

        // every message is either acknowledged (broker sent PUBACK) or still in the outbox, never both
        Set<String> acknowledged = new HashSet<>(outbox.acknowledgements().keySet());
        Set<String> remaining = allIds();
        assertThat(remaining).isNotEmpty().doesNotContainAnyElementsOf(acknowledged);
        Set<String> union = new HashSet<>(acknowledged);
        union.addAll(remaining);
        assertThat(union).isEqualTo(ids);

        HeadEnd headEnd = bringBrokerBack(identity, "gw-cut");

        eventually("outbox drained after the restart", WAIT, () -> outbox.size() == 0);
        eventually("link connected again", WAIT, () -> link.status().connected());
        List<HeadEnd.Received> got = headEnd.awaitAll(l -> readingIds(l).containsAll(remaining), WAIT);
        assertThat(readingIds(got)).containsAll(remaining);
        assertThat(outbox.acknowledgements().keySet()).isEqualTo(ids);
        assertThat(outbox.acknowledgements().values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        // readings of each meter still arrive in order after the restart
        for (String meter : List.of("m0", "m1", "m2")) {
            assertThat(values(got, meter)).isSorted();
        }
        // a fresh birth after the restart
        assertThat(got).anyMatch(r -> r.topic().equals("mg/v1/gw-cut/status") && r.payload().contains("\"online\""));
    }

    private static Set<String> readingIds(List<HeadEnd.Received> received) {
        Set<String> ids = new HashSet<>();
        for (HeadEnd.Received r : received) {
            if (r.topic().endsWith("/readings")) {
                JsonParser.parseString(r.payload()).getAsJsonObject().getAsJsonArray("readings")
                        .forEach(e -> ids.add(e.getAsJsonObject().get("id").getAsString()));
            }
        }
        return ids;
    }

    private static List<Integer> values(List<HeadEnd.Received> received, String meter) {
        List<Integer> values = new ArrayList<>();
        for (HeadEnd.Received r : received) {
            if (r.topic().endsWith("/readings")) {
                JsonParser.parseString(r.payload()).getAsJsonObject().getAsJsonArray("readings").forEach(e -> {
                    if (e.getAsJsonObject().get("meter").getAsString().equals(meter)) {
                        values.add(e.getAsJsonObject().get("value").getAsInt());
                    }
                });
            }
        }
        return values;
    }
}
