// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxException.Reason;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.api.outbox.Retention;
import org.metergate.api.state.MeterStateStore;
import org.metergate.api.state.PendingMessage;

/**
 * Durable outbox in one SQLite file. One store thread owns the connection; {@link #append} hands its message
 * to that thread, which commits every append waiting at that moment (up to {@code groupCommitMaxBatch},
 * waiting at most {@code groupCommitMaxDelay} for more) in one transaction, and returns only after that
 * commit was synced to disk. Concurrent appenders thus share one fsync instead of paying one each.
 *
 * <p>The append path is kept lean because the store thread is the bottleneck: statements are prepared once
 * and reused, payloads are encoded (and large ones compressed) on the appender's thread, and a message
 * needs no random id or id index (see {@link MessageIds}); the only per-row indexes are the two small partial
 * ones (routine rows for the drop policy, non-reading rows for priority reads).
 */
final class SqliteOutbox implements Outbox, MeterStateStore, AutoCloseable {

    /** Store settings; the limits decide when routine messages are dropped. */
    record Settings(Path file, OutboxLimits limits, int groupCommitMaxBatch, long groupCommitMaxDelayMs) {
        Settings {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(limits, "limits");
            if (groupCommitMaxBatch < 1 || groupCommitMaxBatch > 10_000) {
                throw new IllegalArgumentException("groupCommitMaxBatch is " + groupCommitMaxBatch
                        + "; it must be 1..10000 (1 = one transaction per message; typical 256)");
            }
            if (groupCommitMaxDelayMs < 0 || groupCommitMaxDelayMs > 1000) {
                throw new IllegalArgumentException("groupCommitMaxDelayMs is " + groupCommitMaxDelayMs
                        + "; it must be 0..1000 (0 = commit whatever is waiting; typical 2)");
            }
        }

        static Settings defaults(Path file) {
            return new Settings(file, OutboxLimits.defaults(), 256, 2);
        }
    }

    /** Test hook: runs SQL on the store thread (e.g. to simulate a full disk with max_page_count). */
    interface ConnectionAction {
        void run(Connection c) throws SQLException;
    }

    private static final String COLUMNS = "seq, kind, meter_id, retention, created_at, payload_bytes, encoding,"
            + " payload, legacy_id";
    private static final String INSERT = "INSERT INTO outbox (seq, kind, meter_id, retention, created_at,"
            + " payload_bytes, encoding, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final Settings settings;
    private final Clock clock;
    private final CapacityPlanner planner;
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final ReadWriteLock closing = new ReentrantReadWriteLock();
    private final Thread storeThread;
    /**
     * Wakes the appenders of committed batches. Waking a blocked thread costs several microseconds, as much as
     * inserting its row; done here, it overlaps with the store thread's next batch instead of delaying it.
     */
    private final Thread completer;
    private final BlockingQueue<Committed> committed = new LinkedBlockingQueue<>();
    private final Connection connection;
    private final Statement tx;
    private final Statements statements;
    private final MessageIds ids;
    private final PayloadCodec codec = new PayloadCodec();
    private boolean closed;
    private Task carried;

    // written by the store thread only, after each commit
    private long messages;
    private long payloadBytes;
    private long lastSequence;
    private volatile OutboxStats stats;
    private volatile long droppedRoutine;
    private volatile String lastError;
    private volatile long transactions;
    /**
     * Appends submitted and not yet completed: once the batch holds all of them, nobody else is about to
     * append and the store thread commits without waiting.
     */
    private final AtomicInteger pendingAppends = new AtomicInteger();
    private DropReport lastReport;

    private SqliteOutbox(Settings settings, Clock clock, SqliteDatabase.Opened opened) throws SQLException {
        this.settings = settings;
        this.clock = clock;
        this.planner = new CapacityPlanner(settings.limits());
        this.connection = opened.connection();
        this.tx = connection.createStatement();
        this.statements = new Statements(connection);
        this.ids = SchemaMigrations.messageIds(connection);
        loadCounters();
        this.storeThread = new Thread(this::serve, "metergate-store " + settings.file().getFileName());
        this.storeThread.setDaemon(true);
        this.completer = new Thread(this::completeCommitted, "metergate-store-completer "
                + settings.file().getFileName());
        this.completer.setDaemon(true);
    }

    /**
     * Opens (creating or migrating) the database and starts the store thread. A damaged file is kept aside
     * and reported both in {@link #stats()} and as an event message in the new database.
     */
    static SqliteOutbox open(Settings settings, Clock clock) throws OutboxException {
        SqliteDatabase.Opened opened = SqliteDatabase.open(settings.file(), clock);
        SqliteOutbox outbox;
        try {
            outbox = new SqliteOutbox(settings, clock, opened);
        } catch (SQLException e) {
            SqliteDatabase.closeQuietly(opened.connection());
            throw SqliteErrors.map(e, settings.file(), "reading the outbox");
        }
        outbox.completer.start();
        outbox.storeThread.start();
        if (opened.quarantinedAs() != null) {
            outbox.reportQuarantine(opened);
        }
        return outbox;
    }

    private void reportQuarantine(SqliteDatabase.Opened opened) {
        Instant now = clock.instant();
        String note = now + " outbox database " + settings.file() + " was damaged (" + opened.quarantineReason()
                + "); kept as " + opened.quarantinedAs() + " and started a new one";
        lastError = note;
        try {
            append(MessageKind.EVENT, null, Retention.ALARM,
                    StoreEvents.quarantined(opened.quarantinedAs().toString(), opened.quarantineReason(), now));
        } catch (OutboxException e) {
            lastError = note + "; reporting it failed too: " + e.getMessage();
        }
    }

    // ---------------------------------------------------------------- Outbox

    @Override
    public OutboxMessage append(MessageKind kind, String meterId, Retention retention, String payload)
            throws OutboxException {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(payload, "payload");
        AppendTask task = new AppendTask(kind, meterId, retention, codec.encode(payload), payload);
        pendingAppends.incrementAndGet();
        try {
            submit(task);
        } catch (OutboxException e) {
            pendingAppends.decrementAndGet();
            throw e;
        }
        return await(task.done);
    }

    @Override
    public List<OutboxMessage> oldest(Set<MessageKind> kinds, int max) throws OutboxException {
        if (kinds.isEmpty() || max <= 0) {
            return List.of();
        }
        int mask = 0;
        for (MessageKind k : kinds) {
            mask |= 1 << OutboxCodes.code(k);
        }
        int kindMask = mask;
        return call("reading the oldest messages", () -> {
            List<OutboxMessage> out = new ArrayList<>(Math.min(max, 1024));
            PreparedStatement q = statements.oldest(kindMask);
            q.setInt(1, max);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(message(rs));
                }
            }
            return out;
        });
    }

    @Override
    public void acknowledge(Collection<String> msgIds) throws OutboxException {
        List<String> given = List.copyOf(msgIds);
        if (given.isEmpty()) {
            return;
        }
        call("removing " + given.size() + " acknowledged messages", () -> {
            long[] sequences = new long[given.size()];
            int n = 0;
            List<String> legacy = new ArrayList<>();
            for (String id : given) {
                long sequence = ids.sequence(id);
                if (sequence >= 0) {
                    sequences[n++] = sequence;
                } else {
                    legacy.add(id);
                }
            }
            long[] removed = new long[2]; // messages, payload bytes
            begin();
            try {
                deleteSequences(Arrays.copyOf(sequences, n), removed);
                PreparedStatement byLegacyId = legacy.isEmpty() ? null : statements.deleteLegacy();
                for (String id : legacy) {
                    byLegacyId.setString(1, id);
                    sum(byLegacyId, removed);
                }
                commit();
            } catch (SQLException e) {
                rollbackQuietly();
                throw e;
            }
            messages -= removed[0];
            payloadBytes -= removed[1];
            publishStats();
            return null;
        });
    }

    /** Deletes the rows, a run of consecutive sequences with one range statement; adds what went to {@code removed}. */
    private void deleteSequences(long[] sequences, long[] removed) throws SQLException {
        Arrays.sort(sequences);
        PreparedStatement range = statements.deleteRange();
        int i = 0;
        while (i < sequences.length) {
            int j = i;
            while (j + 1 < sequences.length && sequences[j + 1] <= sequences[j] + 1) {
                j++; // duplicates and consecutive sequences stay in one run
            }
            range.setLong(1, sequences[i]);
            range.setLong(2, sequences[j]);
            sum(range, removed);
            i = j + 1;
        }
    }

    /** Runs a {@code DELETE … RETURNING payload_bytes} and counts the deleted rows and their bytes. */
    private static void sum(PreparedStatement delete, long[] removed) throws SQLException {
        try (ResultSet rs = delete.executeQuery()) {
            while (rs.next()) {
                removed[0]++;
                removed[1] += rs.getLong(1);
            }
        }
    }

    @Override
    public OutboxStats stats() {
        OutboxStats s = stats;
        return new OutboxStats(s.messages(), s.payloadBytes(), s.oldestCreatedAt(), droppedRoutine, lastError);
    }

    /** Finishes everything already queued, then closes the database. Later calls fail with CLOSED. */
    @Override
    public void close() {
        closing.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(Stop.INSTANCE);
        } finally {
            closing.writeLock().unlock();
        }
        try {
            storeThread.join(TimeUnit.SECONDS.toMillis(30));
            completer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Test hook: runs {@code action} on the store thread between transactions. */
    void runOnStoreThread(ConnectionAction action) throws OutboxException {
        call("running a maintenance statement", () -> {
            action.run(connection);
            return null;
        });
    }

    /** Append transactions committed so far: fewer than appends when group commit works. */
    long appendTransactions() {
        return transactions;
    }

    Path file() {
        return settings.file();
    }

    // ---------------------------------------------------------------- tasks

    private sealed interface Task permits AppendTask, Job, Stop {
    }

    private static final class AppendTask implements Task {
        final MessageKind kind;
        final String meterId;
        final Retention retention;
        final PayloadCodec.Encoded encoded;
        final String payload;
        final CompletableFuture<OutboxMessage> done = new CompletableFuture<>();

        AppendTask(MessageKind kind, String meterId, Retention retention, PayloadCodec.Encoded encoded,
                String payload) {
            this.kind = kind;
            this.meterId = meterId;
            this.retention = retention;
            this.encoded = encoded;
            this.payload = payload;
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException, OutboxException;
    }

    private static final class Job implements Task {
        final String action;
        final SqlWork<?> work;
        final CompletableFuture<Object> done = new CompletableFuture<>();

        Job(String action, SqlWork<?> work) {
            this.action = action;
            this.work = work;
        }
    }

    private enum Stop implements Task {
        INSTANCE
    }

    @SuppressWarnings("unchecked")
    private <T> T call(String action, SqlWork<T> work) throws OutboxException {
        Job job = new Job(action, work);
        submit(job);
        return (T) await(job.done);
    }

    private void submit(Task task) throws OutboxException {
        closing.readLock().lock();
        try {
            if (closed) {
                throw new OutboxException(Reason.CLOSED, "outbox " + settings.file() + " is closed (the store is"
                        + " stopping or being reconfigured); try again once it is back");
            }
            queue.add(task);
        } finally {
            closing.readLock().unlock();
        }
    }

    /** Waits for the store thread; not interruptible, so the caller always learns whether it was stored. */
    private static <T> T await(CompletableFuture<T> done) throws OutboxException {
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof OutboxException oe) {
                throw new OutboxException(oe.reason(), oe.getMessage(), oe);
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new OutboxException(Reason.IO, "outbox store failed: " + e.getCause(), e.getCause());
        }
    }

    // ---------------------------------------------------------------- store thread

    /** Appends of one committed batch and what each returns; an empty batch stops the completer. */
    private record Committed(List<AppendTask> tasks, List<OutboxMessage> results) {
    }

    private void completeCommitted() {
        try {
            while (true) {
                Committed c = committed.take();
                if (c.tasks().isEmpty()) {
                    return;
                }
                for (int i = 0; i < c.tasks().size(); i++) {
                    c.tasks().get(i).done.complete(c.results().get(i));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve() {
        try {
            while (true) {
                Task task = carried != null ? carried : queue.take();
                carried = null;
                if (task == Stop.INSTANCE) {
                    break;
                } else if (task instanceof AppendTask first) {
                    commitAppends(collectBatch(first));
                } else if (task instanceof Job job) {
                    runJob(job);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            shutDown();
        }
    }

    /** The first append plus whatever arrives within the max delay, up to the max batch. */
    private List<AppendTask> collectBatch(AppendTask first) throws InterruptedException {
        List<AppendTask> batch = new ArrayList<>();
        batch.add(first);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.groupCommitMaxDelayMs());
        while (batch.size() < settings.groupCommitMaxBatch()) {
            Task next = queue.poll();
            if (next == null) {
                if (batch.size() >= pendingAppends.get()) {
                    break; // nobody else is about to append: waiting would only add latency
                }
                long wait = deadline - System.nanoTime();
                next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
                if (next == null) {
                    break;
                }
            }
            if (next instanceof AppendTask append) {
                batch.add(append);
            } else {
                carried = next; // keep the order: a job queued after these appends runs after their commit
                break;
            }
        }
        return batch;
    }

    /** Counters of one transaction; copied back to the fields only after its commit. */
    private final class Tally {
        long m = messages;
        long b = payloadBytes;
        long seq = lastSequence;
        long dropped;
        DropReport report = lastReport;

        void publish() {
            messages = m;
            payloadBytes = b;
            lastSequence = seq;
            lastReport = report;
            droppedRoutine += dropped;
            publishStats();
        }
    }

    private void commitAppends(List<AppendTask> batch) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Tally tally = new Tally();
        List<AppendTask> stored = new ArrayList<>(batch.size());
        List<OutboxMessage> results = new ArrayList<>(batch.size());
        try {
            PreparedStatement insert = statements.insert();
            begin();
            for (AppendTask task : batch) {
                OutboxMessage message;
                try {
                    message = insertWithinLimits(insert, tally, task.kind, task.meterId, task.retention,
                            task.encoded, task.payload, now);
                } catch (OutboxException | IllegalArgumentException e) {
                    lastError = now + " " + e.getMessage();
                    fail(task, e);
                    continue;
                }
                stored.add(task);
                results.add(message);
            }
            if (stored.isEmpty()) {
                rollbackQuietly();
                return;
            }
            commit();
            transactions++;
        } catch (SQLException e) {
            rollbackQuietly();
            statements.reset(); // after a failed write the driver cannot reuse a statement
            OutboxException failure = SqliteErrors.map(e, settings.file(), "storing " + batch.size() + " messages");
            lastError = now + " " + failure.getMessage();
            for (AppendTask t : batch) {
                if (!t.done.isDone()) {
                    fail(t, failure);
                }
            }
            return;
        }
        tally.publish();
        pendingAppends.addAndGet(-stored.size());
        committed.add(new Committed(stored, results));
    }

    /**
     * Inserts one message inside the open transaction, first dropping routine messages (with a drop report) if
     * the limits require it. A refusal ({@link OutboxException}, {@link IllegalArgumentException}) happens before
     * anything is written for this message.
     */
    private OutboxMessage insertWithinLimits(PreparedStatement insert, Tally t, MessageKind kind, String meterId,
            Retention retention, PayloadCodec.Encoded encoded, String payload, Instant now)
            throws SQLException, OutboxException {
        long bytes = encoded.payloadBytes();
        CapacityPlanner.Plan plan;
        try (RoutineCursor routine = new RoutineCursor()) {
            plan = planner.plan(t.m, t.b, bytes, routine);
        }
        if (plan.dropsSomething()) {
            deleteRoutineUpTo(plan.drops().get(plan.drops().size() - 1).sequence());
            t.m -= plan.drops().size();
            t.b -= plan.dropBytes();
            t.dropped += plan.drops().size();
            DropReport.Summary summary = DropReport.Summary.of(plan.drops());
            String superseded = null;
            if (t.report != null && deleteSequence(t.report.sequence())) {
                t.m--;
                t.b -= t.report.payloadBytes();
                summary = t.report.summary().followedBy(summary);
                superseded = t.report.msgId();
            }
            long eventSeq = ++t.seq;
            OutboxMessage event = new OutboxMessage(eventSeq, ids.format(eventSeq), MessageKind.EVENT,
                    null, Retention.ALARM, now, StoreEvents.routineDropped(summary, superseded, now, planner.limits()));
            PayloadCodec.Encoded eventPayload = codec.encode(event.payload());
            insert(insert, event, eventPayload);
            long eventBytes = eventPayload.payloadBytes();
            t.report = new DropReport(event.sequence(), event.msgId(), eventBytes, summary);
            t.m++;
            t.b += eventBytes;
        }
        long seq = ++t.seq;
        OutboxMessage message = new OutboxMessage(seq, ids.format(seq), kind, meterId, retention, now, payload);
        insert(insert, message, encoded);
        t.m++;
        t.b += bytes;
        return message;
    }

    // ---------------------------------------------------------------- MeterStateStore

    @Override
    public Map<String, String> state(String meterId) throws OutboxException {
        Objects.requireNonNull(meterId, "meterId");
        return call("reading the state of meter " + meterId, () -> {
            Map<String, String> values = new TreeMap<>();
            try (PreparedStatement q = connection.prepareStatement(
                    "SELECT key, value FROM meter_state WHERE meter_id = ?")) {
                q.setString(1, meterId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        values.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return values;
        });
    }

    @Override
    public List<OutboxMessage> appendWithState(String meterId, List<PendingMessage> messages,
            Map<String, String> state) throws OutboxException {
        Objects.requireNonNull(meterId, "meterId");
        List<PendingMessage> pending = List.copyOf(messages);
        Map<String, String> values = MeterStates.checked(state);
        Map<PendingMessage, PayloadCodec.Encoded> encoded = new java.util.IdentityHashMap<>();
        for (PendingMessage p : pending) {
            encoded.put(p, codec.encode(p.payload())); // on the caller's thread, not the store thread
        }
        return call("storing " + pending.size() + " messages and the state of meter " + meterId, () -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Tally tally = new Tally();
            List<OutboxMessage> stored = new ArrayList<>(pending.size());
            PreparedStatement insert = statements.insert();
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO meter_state"
                            + " (meter_id, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (meter_id, key)"
                            + " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")) {
                begin();
                try {
                    for (PendingMessage p : pending) {
                        stored.add(insertWithinLimits(insert, tally, p.kind(), meterId, p.retention(),
                                encoded.get(p), p.payload(), now));
                    }
                    for (Map.Entry<String, String> e : values.entrySet()) {
                        upsert.setString(1, meterId);
                        upsert.setString(2, e.getKey());
                        upsert.setString(3, e.getValue());
                        upsert.setLong(4, now.toEpochMilli());
                        upsert.executeUpdate();
                    }
                    commit();
                } catch (OutboxException | RuntimeException e) {
                    rollbackQuietly();
                    lastError = now + " " + e.getMessage();
                    throw e;
                }
            }
            transactions++;
            tally.publish();
            return stored;
        });
    }

    /** Work on the store's connection inside one transaction, for the token ledger sharing this database. */
    interface TransactionWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on the store thread in one {@code BEGIN IMMEDIATE … COMMIT}, between outbox batches;
     * any failure rolls it back whole.
     */
    <T> T inTransaction(String action, TransactionWork<T> work) throws OutboxException {
        return call(action, () -> {
            begin();
            T result = work.run(connection);
            commit();
            transactions++;
            return result;
        });
    }

    private static void insert(PreparedStatement insert, OutboxMessage msg, PayloadCodec.Encoded payload)
            throws SQLException {
        insert.setLong(1, msg.sequence());
        insert.setInt(2, OutboxCodes.code(msg.kind()));
        insert.setString(3, msg.meterId());
        insert.setInt(4, OutboxCodes.code(msg.retention()));
        insert.setLong(5, msg.createdAt().toEpochMilli());
        insert.setInt(6, payload.payloadBytes());
        insert.setInt(7, payload.encoding());
        if (payload.encoding() == PayloadCodec.TEXT) {
            insert.setString(8, msg.payload()); // text, so the sqlite3 shell shows it as is
        } else {
            insert.setBytes(8, payload.utf8OrDeflated());
        }
        insert.executeUpdate();
    }

    /** Drops are always the oldest routine messages, so one range delete removes exactly them. */
    private void deleteRoutineUpTo(long sequence) throws SQLException {
        try (PreparedStatement d = connection.prepareStatement(
                "DELETE FROM outbox WHERE retention = " + OutboxCodes.ROUTINE + " AND seq <= ?")) {
            d.setLong(1, sequence);
            d.executeUpdate();
        }
    }

    /** @return whether the message was still there (not yet acknowledged) */
    private boolean deleteSequence(long sequence) throws SQLException {
        try (PreparedStatement d = connection.prepareStatement("DELETE FROM outbox WHERE seq = ?")) {
            d.setLong(1, sequence);
            return d.executeUpdate() == 1;
        }
    }

    /** Routine messages oldest first, read lazily: most appends never need it. */
    private final class RoutineCursor implements CapacityPlanner.Candidates, AutoCloseable {
        private PreparedStatement query;
        private ResultSet rows;

        @Override
        public CapacityPlanner.Candidate next() throws OutboxException {
            try {
                if (rows == null) {
                    query = connection.prepareStatement("SELECT seq, created_at, payload_bytes FROM outbox"
                            + " WHERE retention = " + OutboxCodes.ROUTINE + " ORDER BY seq");
                    rows = query.executeQuery();
                }
                return rows.next() ? new CapacityPlanner.Candidate(rows.getLong(1),
                        Instant.ofEpochMilli(rows.getLong(2)), rows.getLong(3)) : null;
            } catch (SQLException e) {
                throw SqliteErrors.map(e, settings.file(), "looking for routine messages to drop");
            }
        }

        @Override
        public void close() throws OutboxException {
            try {
                if (query != null) {
                    query.close();
                }
            } catch (SQLException e) {
                throw SqliteErrors.map(e, settings.file(), "looking for routine messages to drop");
            }
        }
    }

    private void runJob(Job job) {
        try {
            job.done.complete(job.work.run());
        } catch (SQLException e) {
            rollbackQuietly();
            statements.reset();
            OutboxException failure = SqliteErrors.map(e, settings.file(), job.action);
            lastError = clock.instant() + " " + failure.getMessage();
            job.done.completeExceptionally(failure);
        } catch (OutboxException | RuntimeException e) {
            rollbackQuietly();
            job.done.completeExceptionally(e);
        }
    }

    private void loadCounters() throws SQLException {
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*), total(payload_bytes) FROM outbox")) {
                rs.next();
                messages = rs.getLong(1);
                payloadBytes = rs.getLong(2);
            }
            // AUTOINCREMENT keeps the highest sequence ever used, even after that message was deleted
            try (ResultSet rs = s.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")) {
                lastSequence = rs.next() ? rs.getLong(1) : 0;
            }
        }
        publishStats();
    }

    /** Runs on the store thread after each change; stats() then never waits for the store thread. */
    private void publishStats() {
        Instant oldest = null;
        if (messages > 0) {
            try (ResultSet rs = statements.oldestCreatedAt().executeQuery()) {
                oldest = rs.next() ? Instant.ofEpochMilli(rs.getLong(1)) : null;
            } catch (SQLException e) {
                statements.reset();
                oldest = stats == null ? null : stats.oldestCreatedAt();
            }
        }
        stats = new OutboxStats(messages, payloadBytes, oldest, 0, null);
    }

    /** A row of {@link #COLUMNS}. */
    private OutboxMessage message(ResultSet rs) throws SQLException {
        long seq = rs.getLong(1);
        int encoding = rs.getInt(7);
        String payload = encoding == PayloadCodec.TEXT ? rs.getString(8)
                : codec.decode(encoding, rs.getBytes(8), rs.getInt(6));
        String legacyId = rs.getString(9);
        return new OutboxMessage(seq, legacyId != null ? legacyId : ids.format(seq), OutboxCodes.kind(rs.getInt(2)),
                rs.getString(3), OutboxCodes.retention(rs.getInt(4)), Instant.ofEpochMilli(rs.getLong(5)), payload);
    }

    /**
     * The statements every batch, read and acknowledgement uses, prepared once on the store thread. After a
     * failed write (disk full, read-only) they are closed and prepared again on next use.
     */
    private static final class Statements {
        private final Connection connection;
        private final Map<String, PreparedStatement> prepared = new HashMap<>();

        Statements(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement insert() throws SQLException {
            return get(INSERT);
        }

        /** Oldest rows of the kinds in {@code kindMask} (bit = kind code). */
        PreparedStatement oldest(int kindMask) throws SQLException {
            int all = (1 << MessageKind.values().length) - 1;
            StringBuilder where = new StringBuilder();
            if (kindMask != all) {
                List<String> codes = new ArrayList<>();
                for (int code = 0; code < MessageKind.values().length; code++) {
                    if ((kindMask & (1 << code)) != 0) {
                        codes.add(Integer.toString(code));
                    }
                }
                where.append(" WHERE ");
                if ((kindMask & (1 << OutboxCodes.READING)) == 0) {
                    // the very term of the partial index outbox_priority, so SQLite walks that small index
                    // instead of every reading in the backlog
                    where.append("kind <> ").append(OutboxCodes.READING).append(" AND ");
                }
                where.append("kind IN (").append(String.join(",", codes)).append(')');
            }
            return get("SELECT " + COLUMNS + " FROM outbox" + where + " ORDER BY seq LIMIT ?");
        }

        PreparedStatement deleteRange() throws SQLException {
            return get("DELETE FROM outbox WHERE seq BETWEEN ? AND ? RETURNING payload_bytes");
        }

        PreparedStatement deleteLegacy() throws SQLException {
            return get("DELETE FROM outbox WHERE legacy_id = ? RETURNING payload_bytes");
        }

        PreparedStatement oldestCreatedAt() throws SQLException {
            return get("SELECT created_at FROM outbox ORDER BY seq LIMIT 1");
        }

        private PreparedStatement get(String sql) throws SQLException {
            PreparedStatement p = prepared.get(sql);
            if (p == null) {
                p = connection.prepareStatement(sql);
                prepared.put(sql, p);
            }
            return p;
        }

        void reset() {
            for (PreparedStatement p : prepared.values()) {
                try {
                    p.close();
                } catch (SQLException ignored) {
                    // being replaced because it failed; the failure itself is what gets reported
                }
            }
            prepared.clear();
        }
    }

    // Transactions are explicit statements on an auto-commit connection: after SQLITE_FULL SQLite may already
    // have rolled back by itself, and the driver's implicit transaction handling would then get out of step.

    private void begin() throws SQLException {
        tx.execute("BEGIN IMMEDIATE");
    }

    private void commit() throws SQLException {
        tx.execute("COMMIT");
    }

    private void rollbackQuietly() {
        try {
            tx.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // "no transaction is active": SQLite already rolled back after the failure that is being reported
        }
    }

    private void shutDown() {
        Task t;
        OutboxException closedError = new OutboxException(Reason.CLOSED, "outbox " + settings.file() + " closed");
        if (carried != null) {
            fail(carried, closedError);
        }
        while ((t = queue.poll()) != null) {
            fail(t, closedError);
        }
        committed.add(new Committed(List.of(), List.of())); // after every batch already handed over
        statements.reset();
        codec.close();
        try {
            tx.close();
            connection.close();
        } catch (SQLException e) {
            lastError = clock.instant() + " closing " + settings.file() + " failed: " + e.getMessage();
        }
    }

    private void fail(Task t, Exception e) {
        if (t instanceof AppendTask a) {
            pendingAppends.decrementAndGet();
            a.done.completeExceptionally(e);
        } else if (t instanceof Job j) {
            j.done.completeExceptionally(e);
        }
    }
}
