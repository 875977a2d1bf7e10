// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.api.outbox.Retention;
import org.metergate.api.state.MeterStateStore;
import org.metergate.api.state.PendingMessage;

/**
 * Outbox in memory: same ordering, limits and drop policy as the durable store, but everything is lost when
 * the process stops. For tests, demos and gateways without writable storage.
 */
final class MemoryOutbox implements Outbox, MeterStateStore, AutoCloseable {

    private final Clock clock;
    private final CapacityPlanner planner;
    private final TreeMap<Long, OutboxMessage> bySequence = new TreeMap<>();
    private final TreeMap<Long, OutboxMessage> routine = new TreeMap<>();
    private final Map<String, Long> sequenceById = new HashMap<>();
    private long lastSequence;
    private long payloadBytes;
    private long droppedRoutine;
    private String lastError;
    private DropReport lastReport;
    private boolean closed;
    private final Map<String, Map<String, String>> meterState = new HashMap<>();

    MemoryOutbox(OutboxLimits limits, Clock clock) {
        this.planner = new CapacityPlanner(limits);
        this.clock = clock;
    }

    @Override
    public synchronized OutboxMessage append(MessageKind kind, String meterId, Retention retention, String payload)
            throws OutboxException {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(payload, "payload");
        ensureOpen();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long newBytes = bytes(payload);
        Iterator<OutboxMessage> oldestRoutine = routine.values().iterator();
        CapacityPlanner.Plan plan;
        try {
            plan = planner.plan(bySequence.size(), payloadBytes, newBytes, () -> oldestRoutine.hasNext()
                    ? candidate(oldestRoutine.next()) : null);
        } catch (OutboxException e) {
            lastError = now + " " + e.getMessage();
            throw e;
        }
        if (plan.dropsSomething()) {
            plan.drops().forEach(c -> remove(c.sequence()));
            droppedRoutine += plan.drops().size();
            DropReport.Summary summary = DropReport.Summary.of(plan.drops());
            String superseded = null;
            if (lastReport != null && bySequence.containsKey(lastReport.sequence())) {
                remove(lastReport.sequence());
                summary = lastReport.summary().followedBy(summary);
                superseded = lastReport.msgId();
            }
            OutboxMessage report = store(MessageKind.EVENT, null, Retention.ALARM,
                    StoreEvents.routineDropped(summary, superseded, now, planner.limits()), now);
            lastReport = new DropReport(report.sequence(), report.msgId(), bytes(report.payload()), summary);
        }
        return store(kind, meterId, retention, payload, now);
    }

    private OutboxMessage store(MessageKind kind, String meterId, Retention retention, String payload, Instant now) {
        OutboxMessage m = new OutboxMessage(++lastSequence, UUID.randomUUID().toString(), kind, meterId, retention,
                now, payload);
        bySequence.put(m.sequence(), m);
        sequenceById.put(m.msgId(), m.sequence());
        if (retention.droppable()) {
            routine.put(m.sequence(), m);
        }
        payloadBytes += bytes(payload);
        return m;
    }

    private void remove(long sequence) {
        OutboxMessage m = bySequence.remove(sequence);
        if (m != null) {
            routine.remove(sequence);
            sequenceById.remove(m.msgId());
            payloadBytes -= bytes(m.payload());
        }
    }

    private static CapacityPlanner.Candidate candidate(OutboxMessage m) {
        return new CapacityPlanner.Candidate(m.sequence(), m.createdAt(), bytes(m.payload()));
    }

    private static long bytes(String payload) {
        return payload.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public synchronized Map<String, String> state(String meterId) throws OutboxException {
        Objects.requireNonNull(meterId, "meterId");
        ensureOpen();
        return new TreeMap<>(meterState.getOrDefault(meterId, Map.of()));
    }

    /** All or nothing, like the durable store's transaction: on a refusal every change made here is undone. */
    @Override
    public synchronized List<OutboxMessage> appendWithState(String meterId, List<PendingMessage> messages,
            Map<String, String> state) throws OutboxException {
        Objects.requireNonNull(meterId, "meterId");
        Map<String, String> values = MeterStates.checked(state);
        ensureOpen();
        TreeMap<Long, OutboxMessage> savedBySequence = new TreeMap<>(bySequence);
        TreeMap<Long, OutboxMessage> savedRoutine = new TreeMap<>(routine);
        Map<String, Long> savedIds = new HashMap<>(sequenceById);
        long savedLast = lastSequence;
        long savedBytes = payloadBytes;
        long savedDropped = droppedRoutine;
        DropReport savedReport = lastReport;
        List<OutboxMessage> stored = new ArrayList<>(messages.size());
        try {
            for (PendingMessage p : messages) {
                stored.add(append(p.kind(), meterId, p.retention(), p.payload()));
            }
        } catch (OutboxException | RuntimeException e) {
            bySequence.clear();
            bySequence.putAll(savedBySequence);
            routine.clear();
            routine.putAll(savedRoutine);
            sequenceById.clear();
            sequenceById.putAll(savedIds);
            lastSequence = savedLast;
            payloadBytes = savedBytes;
            droppedRoutine = savedDropped;
            lastReport = savedReport;
            throw e;
        }
        meterState.computeIfAbsent(meterId, k -> new HashMap<>()).putAll(values);
        return stored;
    }

    @Override
    public synchronized List<OutboxMessage> oldest(Set<MessageKind> kinds, int max) throws OutboxException {
        ensureOpen();
        List<OutboxMessage> out = new ArrayList<>(Math.min(Math.max(max, 0), 1024));
        for (OutboxMessage m : bySequence.values()) {
            if (out.size() >= max) {
                break;
            }
            if (kinds.contains(m.kind())) {
                out.add(m);
            }
        }
        return out;
    }

    @Override
    public synchronized void acknowledge(Collection<String> msgIds) throws OutboxException {
        ensureOpen();
        for (String id : msgIds) {
            Long sequence = sequenceById.get(id);
            if (sequence != null) {
                remove(sequence);
            }
        }
    }

    @Override
    public synchronized OutboxStats stats() {
        Instant oldest = bySequence.isEmpty() ? null : bySequence.firstEntry().getValue().createdAt();
        return new OutboxStats(bySequence.size(), payloadBytes, oldest, droppedRoutine, lastError);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void ensureOpen() throws OutboxException {
        if (closed) {
            throw new OutboxException(OutboxException.Reason.CLOSED, "the in-memory outbox is closed");
        }
    }
}
