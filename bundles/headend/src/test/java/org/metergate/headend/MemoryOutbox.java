// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.api.outbox.Retention;

/** Outbox in memory that also counts how often each message was acknowledged, for the tests. */
final class MemoryOutbox implements Outbox {

    private final TreeMap<Long, OutboxMessage> messages = new TreeMap<>();
    private final Map<String, AtomicInteger> acknowledgements = new ConcurrentHashMap<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicLong rowsRead = new AtomicLong();
    private final AtomicInteger largestRead = new AtomicInteger();
    private long sequence;
    private volatile IntConsumer onFetch = n -> { };

    @Override
    public synchronized OutboxMessage append(MessageKind kind, String meterId, Retention retention, String payload) {
        return append(kind, meterId, retention, payload, Instant.now());
    }

    synchronized OutboxMessage append(MessageKind kind, String meterId, Retention retention, String payload,
            Instant createdAt) {
        OutboxMessage m = new OutboxMessage(++sequence, UUID.randomUUID().toString(), kind, meterId, retention,
                createdAt, payload);
        messages.put(m.sequence(), m);
        return m;
    }

    /** Called with the running count at every {@link #oldest} call, before it answers. */
    void onFetch(IntConsumer hook) {
        onFetch = hook;
    }

    @Override
    public List<OutboxMessage> oldest(Set<MessageKind> kinds, int max) throws OutboxException {
        onFetch.accept(fetches.incrementAndGet());
        synchronized (this) {
            List<OutboxMessage> out = new ArrayList<>();
            for (OutboxMessage m : messages.values()) {
                if (kinds.contains(m.kind())) {
                    out.add(m);
                    if (out.size() == max) {
                        break;
                    }
                }
            }
            rowsRead.addAndGet(out.size());
            largestRead.accumulateAndGet(out.size(), Math::max);
            return out;
        }
    }

    @Override
    public synchronized void acknowledge(Collection<String> msgIds) {
        for (String id : msgIds) {
            acknowledgements.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }
        messages.values().removeIf(m -> msgIds.contains(m.msgId()));
    }

    @Override
    public synchronized OutboxStats stats() {
        long bytes = messages.values().stream().mapToLong(m -> m.payload().getBytes(StandardCharsets.UTF_8).length)
                .sum();
        Instant oldest = messages.isEmpty() ? null : messages.firstEntry().getValue().createdAt();
        return new OutboxStats(messages.size(), bytes, oldest, 0, null);
    }

    synchronized List<OutboxMessage> all() {
        return new ArrayList<>(messages.values());
    }

    synchronized int size() {
        return messages.size();
    }

    /** Rows all {@link #oldest} calls returned together. */
    long rowsRead() {
        return rowsRead.get();
    }

    /** The most rows one {@link #oldest} call returned: what a reader held at once. */
    int largestRead() {
        return largestRead.get();
    }

    /** How often each id was acknowledged; a value above 1 means the link acknowledged twice. */
    Map<String, AtomicInteger> acknowledgements() {
        return acknowledgements;
    }
}
