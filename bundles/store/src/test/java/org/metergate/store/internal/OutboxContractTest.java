// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxException.Reason;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.api.outbox.Retention;

/**
 * The outbox contract. Every implementation extends this class and only says how to create an instance;
 * all of them must pass the same tests.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class OutboxContractTest {

    static final Set<MessageKind> ALL = EnumSet.allOf(MessageKind.class);

    private final List<AutoCloseable> opened = new ArrayList<>();

    /** A new, empty outbox with these limits. */
    protected abstract Outbox create(OutboxLimits limits) throws Exception;

    protected Outbox open(OutboxLimits limits) throws Exception {
        Outbox outbox = create(limits);
        if (outbox instanceof AutoCloseable c) {
            opened.add(c);
        }
        return outbox;
    }

    private Outbox roomy() throws Exception {
        return open(new OutboxLimits(1_000_000, 256L * 1024 * 1024));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    @Test
    void appendReturnsTheStoredMessageWithIncreasingSequenceAndUniqueId() throws Exception {
        Outbox outbox = roomy();
        OutboxMessage a = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{\"v\":1}");
        OutboxMessage b = outbox.append(MessageKind.EVENT, null, Retention.ALARM, "{\"v\":2}");

        assertThat(b.sequence()).isGreaterThan(a.sequence());
        assertThat(a.msgId()).isNotEqualTo(b.msgId());
        assertThat(a.kind()).isEqualTo(MessageKind.READING);
        assertThat(a.meterId()).isEqualTo("m1");
        assertThat(b.meterId()).isNull();
        assertThat(outbox.oldest(ALL, 10)).containsExactly(a, b);
    }

    @Test
    void oldestDoesNotRemoveAndHonoursMax() throws Exception {
        Outbox outbox = roomy();
        List<OutboxMessage> appended = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            appended.add(outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{\"i\":" + i + "}"));
        }
        assertThat(outbox.oldest(ALL, 3)).containsExactlyElementsOf(appended.subList(0, 3));
        assertThat(outbox.oldest(ALL, 3)).containsExactlyElementsOf(appended.subList(0, 3));
        assertThat(outbox.oldest(ALL, 100)).containsExactlyElementsOf(appended);
        assertThat(outbox.oldest(ALL, 0)).isEmpty();
    }

    @Test
    void kindsFilterSelectsOnlyThoseKindsInSequenceOrder() throws Exception {
        Outbox outbox = roomy();
        OutboxMessage r1 = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{}");
        OutboxMessage e1 = outbox.append(MessageKind.EVENT, "m1", Retention.ALARM, "{}");
        OutboxMessage c1 = outbox.append(MessageKind.RECEIPT, "m1", Retention.RECEIPT, "{}");
        OutboxMessage r2 = outbox.append(MessageKind.READING, "m2", Retention.BILLING, "{}");
        OutboxMessage e2 = outbox.append(MessageKind.EVENT, null, Retention.ALARM, "{}");

        assertThat(outbox.oldest(EnumSet.of(MessageKind.EVENT, MessageKind.RECEIPT), 10))
                .containsExactly(e1, c1, e2);
        assertThat(outbox.oldest(EnumSet.of(MessageKind.READING), 10)).containsExactly(r1, r2);
        assertThat(outbox.oldest(EnumSet.of(MessageKind.STATUS), 10)).isEmpty();
        assertThat(outbox.oldest(EnumSet.noneOf(MessageKind.class), 10)).isEmpty();
    }

    @Test
    void messagesOfOneMeterComeOldestFirst() throws Exception {
        Outbox outbox = roomy();
        for (int i = 0; i < 20; i++) {
            outbox.append(MessageKind.READING, "m" + (i % 3), Retention.ROUTINE, "{\"i\":" + i + "}");
        }
        Map<String, List<Long>> perMeter = outbox.oldest(ALL, 100).stream().collect(Collectors.groupingBy(
                OutboxMessage::meterId, Collectors.mapping(OutboxMessage::sequence, Collectors.toList())));
        assertThat(perMeter).hasSize(3);
        perMeter.values().forEach(seqs -> assertThat(seqs).isSorted().doesNotHaveDuplicates());
    }

    @Test
    void payloadComesBackUnchanged() throws Exception {
        Outbox outbox = roomy();
        String payload = "{\"unit\":\"m³\",\"text\":\"Zähler \\\"7\\\" — ok\",\"nl\":\"a\\nb\",\"emoji\":\"⚡\"}";
        outbox.append(MessageKind.EVENT, "Zähler-1", Retention.ALARM, payload);
        OutboxMessage back = outbox.oldest(ALL, 1).get(0);
        assertThat(back.payload()).isEqualTo(payload);
        assertThat(back.meterId()).isEqualTo("Zähler-1");
        assertThat(outbox.stats().payloadBytes()).isEqualTo(payload.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void acknowledgeRemovesAndIgnoresUnknownAndRepeatedIds() throws Exception {
        Outbox outbox = roomy();
        OutboxMessage a = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{\"a\":1}");
        OutboxMessage b = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{\"b\":2}");
        OutboxMessage c = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{\"c\":3}");

        outbox.acknowledge(List.of(a.msgId(), "no-such-id"));
        outbox.acknowledge(List.of(a.msgId()));
        outbox.acknowledge(List.of());

        assertThat(outbox.oldest(ALL, 10)).containsExactly(b, c);
        assertThat(outbox.stats().messages()).isEqualTo(2);
        assertThat(outbox.stats().payloadBytes()).isEqualTo(14);

        outbox.acknowledge(List.of(b.msgId(), c.msgId(), b.msgId()));
        assertThat(outbox.oldest(ALL, 10)).isEmpty();
        assertThat(outbox.stats().messages()).isZero();
        assertThat(outbox.stats().payloadBytes()).isZero();
        assertThat(outbox.stats().oldestCreatedAt()).isNull();
    }

    @Test
    void sequenceKeepsGrowingAfterTheNewestWasAcknowledged() throws Exception {
        Outbox outbox = roomy();
        OutboxMessage a = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{}");
        outbox.acknowledge(List.of(a.msgId()));
        OutboxMessage b = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{}");
        assertThat(b.sequence()).isGreaterThan(a.sequence());
    }

    @Test
    void statsCountMessagesBytesAndOldest() throws Exception {
        Outbox outbox = roomy();
        OutboxStats empty = outbox.stats();
        assertThat(empty.messages()).isZero();
        assertThat(empty.oldestCreatedAt()).isNull();
        assertThat(empty.droppedRoutine()).isZero();
        assertThat(empty.lastError()).isNull();

        OutboxMessage first = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "12345");
        outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "678");
        OutboxStats two = outbox.stats();
        assertThat(two.messages()).isEqualTo(2);
        assertThat(two.payloadBytes()).isEqualTo(8);
        assertThat(two.oldestCreatedAt()).isEqualTo(first.createdAt());
    }

    @Test
    void fullOutboxDropsOldestRoutineFirstAndReportsIt() throws Exception {
        Outbox outbox = open(new OutboxLimits(10, 1024 * 1024));
        List<OutboxMessage> keep = new ArrayList<>();
        List<OutboxMessage> routine = new ArrayList<>();
        keep.add(outbox.append(MessageKind.READING, "m1", Retention.BILLING, "{\"billing\":1}"));
        for (int i = 0; i < 4; i++) {
            routine.add(outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{\"r\":" + i + "}"));
        }
        keep.add(outbox.append(MessageKind.RECEIPT, "m1", Retention.RECEIPT, "{\"receipt\":1}"));
        for (int i = 4; i < 7; i++) {
            routine.add(outbox.append(MessageKind.READING, "m2", Retention.ROUTINE, "{\"r\":" + i + "}"));
        }
        keep.add(outbox.append(MessageKind.EVENT, "m1", Retention.ALARM, "{\"alarm\":1}"));
        assertThat(outbox.stats().messages()).isEqualTo(10);
        assertThat(outbox.stats().droppedRoutine()).isZero();

        OutboxMessage newest = outbox.append(MessageKind.READING, "m2", Retention.ROUTINE, "{\"r\":7}");

        long dropped = outbox.stats().droppedRoutine();
        assertThat(dropped).isBetween(1L, (long) routine.size());
        List<OutboxMessage> all = outbox.oldest(ALL, 100);
        assertThat(all).containsAll(keep).contains(newest).hasSizeLessThanOrEqualTo(10);
        // exactly the oldest routine messages are gone
        assertThat(all).doesNotContainAnyElementsOf(routine.subList(0, (int) dropped));
        assertThat(all).containsAll(routine.subList((int) dropped, routine.size()));

        OutboxMessage report = all.stream().filter(m -> m.payload().contains("messages-dropped")).findFirst()
                .orElseThrow();
        assertThat(report.kind()).isEqualTo(MessageKind.EVENT);
        assertThat(report.retention()).isEqualTo(Retention.ALARM);
        assertThat(report.meterId()).isNull();
        assertThat(report.sequence()).isLessThan(newest.sequence());
        assertThat(report.payload()).contains("\"dropped\":" + dropped)
                .contains("\"from\":\"" + routine.get(0).createdAt() + "\"")
                .contains("\"to\":\"" + routine.get((int) dropped - 1).createdAt() + "\"")
                .contains("\"schema\":\"event/v1\"");
    }

    @Test
    void repeatedOverflowKeepsHeadroomSoReportsDoNotPileUp() throws Exception {
        Outbox outbox = open(new OutboxLimits(30, 1024 * 1024));
        for (int i = 0; i < 300; i++) {
            outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{\"r\":" + i + "}");
        }
        List<OutboxMessage> all = outbox.oldest(ALL, 1000);
        long reports = all.stream().filter(m -> m.kind() == MessageKind.EVENT).count();
        assertThat(all).hasSizeLessThanOrEqualTo(30);
        // each report replaces the undelivered one before it: one report covers all drops
        assertThat(reports).isEqualTo(1);
        long dropped = outbox.stats().droppedRoutine();
        assertThat(dropped).isEqualTo(300 - (all.size() - reports));
        OutboxMessage report = all.stream().filter(m -> m.kind() == MessageKind.EVENT).findFirst().orElseThrow();
        assertThat(report.payload()).contains("\"dropped\":" + dropped, "\"firstSequence\":1,", "\"supersedes\":");
        // the newest reading is always kept
        assertThat(all.get(all.size() - 1).payload()).isEqualTo("{\"r\":299}");
    }

    @Test
    void deliveredReportIsNotSupersededButFollowedByANewOne() throws Exception {
        Outbox outbox = open(new OutboxLimits(10, 1024 * 1024));
        for (int i = 0; i < 11; i++) {
            outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{\"r\":" + i + "}");
        }
        OutboxMessage first = outbox.oldest(EnumSet.of(MessageKind.EVENT), 10).get(0);
        long firstDropped = outbox.stats().droppedRoutine();
        outbox.acknowledge(List.of(first.msgId()));
        for (int i = 11; i < 30; i++) {
            outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{\"r\":" + i + "}");
        }
        List<OutboxMessage> reports = outbox.oldest(EnumSet.of(MessageKind.EVENT), 10);
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).payload()).doesNotContain(first.msgId())
                .contains("\"dropped\":" + (outbox.stats().droppedRoutine() - firstDropped) + ",");
    }

    @Test
    void byteLimitDropsRoutineToo() throws Exception {
        Outbox outbox = open(new OutboxLimits(1000, 4096));
        String kilo = "x".repeat(500);
        OutboxMessage billing = outbox.append(MessageKind.READING, "m1", Retention.BILLING, kilo);
        for (int i = 0; i < 12; i++) {
            outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, kilo);
            assertThat(outbox.stats().payloadBytes()).isLessThanOrEqualTo(4096);
        }
        assertThat(outbox.stats().droppedRoutine()).isPositive();
        assertThat(outbox.oldest(ALL, 100)).contains(billing);
    }

    @Test
    void refusesWhenOnlyUndroppableMessagesRemain() throws Exception {
        Outbox outbox = open(new OutboxLimits(6, 1024 * 1024));
        List<OutboxMessage> stored = new ArrayList<>();
        stored.add(outbox.append(MessageKind.READING, "m1", Retention.BILLING, "{\"b\":1}"));
        stored.add(outbox.append(MessageKind.RECEIPT, "m1", Retention.RECEIPT, "{\"c\":1}"));
        stored.add(outbox.append(MessageKind.EVENT, "m1", Retention.ALARM, "{\"a\":1}"));
        stored.add(outbox.append(MessageKind.READING, "m1", Retention.BILLING, "{\"b\":2}"));
        stored.add(outbox.append(MessageKind.RECEIPT, "m1", Retention.RECEIPT, "{\"c\":2}"));
        stored.add(outbox.append(MessageKind.EVENT, "m1", Retention.ALARM, "{\"a\":2}"));

        for (Retention r : Retention.values()) {
            assertThatThrownBy(() -> outbox.append(MessageKind.READING, "m1", r, "{\"late\":1}"))
                    .isInstanceOfSatisfying(OutboxException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.FULL_OF_UNDROPPABLE))
                    .hasMessageContaining("outbox full").hasMessageContaining("never dropped")
                    .hasMessageContaining("maxMessages=6");
        }
        assertThat(outbox.oldest(ALL, 100)).containsExactlyElementsOf(stored);
        assertThat(outbox.stats().droppedRoutine()).isZero();
        assertThat(outbox.stats().lastError()).contains("outbox full");

        // once the head-end acknowledges, there is room again
        outbox.acknowledge(List.of(stored.get(0).msgId(), stored.get(1).msgId()));
        assertThat(outbox.append(MessageKind.READING, "m1", Retention.BILLING, "{\"b\":3}")).isNotNull();
    }

    @Test
    void refusesWithoutDroppingWhenDroppingAllRoutineWouldNotMakeRoom() throws Exception {
        Outbox outbox = open(new OutboxLimits(5, 1024 * 1024));
        outbox.append(MessageKind.READING, "m1", Retention.BILLING, "{}");
        outbox.append(MessageKind.READING, "m1", Retention.BILLING, "{}");
        outbox.append(MessageKind.READING, "m1", Retention.BILLING, "{}");
        outbox.append(MessageKind.READING, "m1", Retention.BILLING, "{}");
        OutboxMessage routine = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{}");
        // dropping the single routine message frees one slot, but the message and the report need two
        assertThatThrownBy(() -> outbox.append(MessageKind.EVENT, "m1", Retention.ALARM, "{}"))
                .isInstanceOfSatisfying(OutboxException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.FULL_OF_UNDROPPABLE));
        assertThat(outbox.oldest(ALL, 10)).contains(routine).hasSize(5);
        assertThat(outbox.stats().droppedRoutine()).isZero();
    }

    @Test
    void messageLargerThanTheWholeOutboxIsRejectedAsBadInput() throws Exception {
        Outbox outbox = open(new OutboxLimits(100, 4096));
        assertThatThrownBy(() -> outbox.append(MessageKind.READING, "m1", Retention.BILLING, "x".repeat(8000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPayloadBytes=4096");
        assertThat(outbox.stats().messages()).isZero();
    }

    @Test
    void concurrentAppendersLoseNothingAndKeepTheirOrder() throws Exception {
        Outbox outbox = roomy();
        int threads = 8;
        int each = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Map<String, OutboxMessage> returned = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        OutboxMessage m = outbox.append(MessageKind.READING, "m" + thread, Retention.ROUTINE,
                                "{\"t\":" + thread + ",\"i\":" + i + "}");
                        returned.put(m.msgId(), m);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<OutboxMessage> all = outbox.oldest(ALL, 10_000);
        assertThat(all).hasSize(threads * each);
        assertThat(all.stream().map(OutboxMessage::msgId).collect(Collectors.toSet())).hasSize(threads * each);
        assertThat(new HashSet<>(all)).isEqualTo(new HashSet<>(returned.values()));
        assertThat(all).extracting(OutboxMessage::sequence).isSorted().doesNotHaveDuplicates();
        for (int t = 0; t < threads; t++) {
            String meter = "m" + t;
            List<String> payloads = all.stream().filter(m -> meter.equals(m.meterId()))
                    .map(OutboxMessage::payload).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                expected.add("{\"t\":" + t + ",\"i\":" + i + "}");
            }
            assertThat(payloads).containsExactlyElementsOf(expected);
        }
        assertThat(outbox.stats().messages()).isEqualTo(threads * each);
    }

    @Test
    void nullArgumentsAreRejectedClearly() throws Exception {
        Outbox outbox = roomy();
        assertThatThrownBy(() -> outbox.append(null, "m1", Retention.ROUTINE, "{}"))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("kind");
        assertThatThrownBy(() -> outbox.append(MessageKind.READING, "m1", null, "{}"))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("retention");
        assertThatThrownBy(() -> outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("payload");
    }

    @Test
    void closedOutboxRefusesWithClosed() throws Exception {
        Outbox outbox = create(new OutboxLimits(100, 1024 * 1024));
        outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{}");
        ((AutoCloseable) outbox).close();
        ((AutoCloseable) outbox).close();
        assertThatThrownBy(() -> outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{}"))
                .isInstanceOfSatisfying(OutboxException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED));
        assertThatThrownBy(() -> outbox.oldest(ALL, 1))
                .isInstanceOfSatisfying(OutboxException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED));
    }
}
