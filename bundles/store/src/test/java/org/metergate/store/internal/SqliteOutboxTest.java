// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxException.Reason;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.Retention;

/** What only the durable store promises: surviving restarts and crashes, and handling storage faults. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SqliteOutboxTest {

    static final EnumSet<MessageKind> ALL = EnumSet.allOf(MessageKind.class);
    static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-23T21:30:05Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final List<SqliteOutbox> opened = new ArrayList<>();

    private SqliteOutbox open(Path file) throws OutboxException {
        return open(file, Clock.systemUTC());
    }

    private SqliteOutbox open(Path file, Clock clock) throws OutboxException {
        SqliteOutbox outbox = SqliteOutbox.open(new SqliteOutbox.Settings(file, new OutboxLimits(100_000,
                64L * 1024 * 1024), 64, 0), clock);
        opened.add(outbox);
        return outbox;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(SqliteOutbox::close);
        dir.toFile().setWritable(true);
    }

    @Test
    void reopenKeepsEverythingAndContinuesTheSequence() throws Exception {
        Path file = dir.resolve("data/metergate.db");
        SqliteOutbox first = open(file);
        List<OutboxMessage> appended = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            appended.add(first.append(MessageKind.READING, "m" + (i % 2), Retention.BILLING, "{\"i\":" + i + "}"));
        }
        first.acknowledge(List.of(appended.get(9).msgId()));
        first.close();

        SqliteOutbox second = open(file);
        assertThat(second.oldest(ALL, 100)).containsExactlyElementsOf(appended.subList(0, 9));
        assertThat(second.stats().messages()).isEqualTo(9);
        assertThat(second.stats().oldestCreatedAt()).isEqualTo(appended.get(0).createdAt());
        assertThat(second.stats().lastError()).isNull();
        OutboxMessage next = second.append(MessageKind.READING, "m0", Retention.ROUTINE, "{}");
        assertThat(next.sequence()).isGreaterThan(appended.get(9).sequence());
    }

    @Test
    void databaseIsWalWithFullSyncAndVersionedSchema() throws Exception {
        SqliteOutbox outbox = open(dir.resolve("metergate.db"));
        AtomicReference<String> settings = new AtomicReference<>();
        outbox.runOnStoreThread(c -> {
            try (Statement s = c.createStatement()) {
                settings.set(one(s, "PRAGMA journal_mode") + " " + one(s, "PRAGMA synchronous") + " "
                        + one(s, "PRAGMA foreign_keys") + " " + one(s, "PRAGMA busy_timeout") + " "
                        + one(s, "PRAGMA user_version"));
            }
        });
        // synchronous 2 = FULL
        assertThat(settings.get()).isEqualTo("wal 2 1 " + SqliteDatabase.BUSY_TIMEOUT_MS + " "
                + SchemaMigrations.latestVersion());
    }

    private static String one(Statement s, String sql) throws java.sql.SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void databaseFromNewerSoftwareIsRefusedAndLeftUntouched() throws Exception {
        Path file = dir.resolve("metergate.db");
        SqliteOutbox outbox = open(file);
        outbox.append(MessageKind.EVENT, null, Retention.ALARM, "{}");
        outbox.runOnStoreThread(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA user_version = 99");
            }
        });
        outbox.close();

        assertThatThrownBy(() -> open(file)).isInstanceOfSatisfying(OutboxException.class,
                e -> assertThat(e.getMessage()).contains("schema version 99", "newer", "untouched"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("corrupt"));
        }
    }

    @Test
    void groupCommitSharesTransactionsBetweenConcurrentAppenders() throws Exception {
        SqliteOutbox outbox = SqliteOutbox.open(new SqliteOutbox.Settings(dir.resolve("g.db"),
                OutboxLimits.defaults(), 256, 50), Clock.systemUTC());
        opened.add(outbox);
        int threads = 16;
        int each = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{}");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(outbox.stats().messages()).isEqualTo(threads * each);
        // with 16 appenders waiting, a transaction carries many appends, not one each
        assertThat(outbox.appendTransactions()).isLessThan(threads * each / 2);
    }

    @Test
    void everyMessageWhoseAppendReturnedSurvivesAKill() throws Exception {
        Path file = dir.resolve("crash.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingAppender.class.getName(), file.toString(), "4").redirectError(dir.resolve("child.err").toFile())
                .start();
        record Printed(long sequence, String msgId, int thread, int i) {
        }
        List<Printed> printed = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (printed.size() < 400 && (line = out.readLine()) != null) {
                String[] f = line.split(" ");
                if (f.length == 5 && f[4].equals("end")) {
                    printed.add(new Printed(Long.parseLong(f[0]), f[1], Integer.parseInt(f[2]),
                            Integer.parseInt(f[3])));
                }
            }
            child.destroyForcibly();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(printed).as("child output; stderr: %s", Files.readString(dir.resolve("child.err")))
                .hasSize(400);

        SqliteOutbox reopened = open(file);
        Map<String, OutboxMessage> stored = reopened.oldest(ALL, 1_000_000).stream()
                .collect(Collectors.toMap(OutboxMessage::msgId, Function.identity()));
        assertThat(stored.size()).isGreaterThanOrEqualTo(printed.size());
        for (Printed p : printed) {
            OutboxMessage m = stored.get(p.msgId());
            assertThat(m).as("message %s printed by the child", p).isNotNull();
            assertThat(m.sequence()).isEqualTo(p.sequence());
            assertThat(m.meterId()).isEqualTo("m" + p.thread());
            assertThat(m.payload()).isEqualTo(CrashingAppender.payload(p.thread(), p.i()));
        }
        assertThat(reopened.stats().lastError()).isNull();
    }

    @Test
    void garbageFileIsQuarantinedAndAFreshStoreReportsIt() throws Exception {
        Path file = dir.resolve("metergate.db");
        byte[] garbage = ("this is not a database, it is a meter log that was copied over it\n".repeat(100))
                .getBytes(StandardCharsets.US_ASCII);
        Files.write(file, garbage);

        SqliteOutbox outbox = open(file, FIXED);

        Path kept = dir.resolve("metergate.db.corrupt-20261123T213005Z");
        assertThat(kept).exists();
        assertThat(Files.readAllBytes(kept)).isEqualTo(garbage);
        assertThat(outbox.stats().lastError()).contains("damaged", kept.toString());
        List<OutboxMessage> events = outbox.oldest(ALL, 10);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).kind()).isEqualTo(MessageKind.EVENT);
        assertThat(events.get(0).retention()).isEqualTo(Retention.ALARM);
        assertThat(events.get(0).payload()).contains("\"type\":\"store-quarantined\"", "corrupt-20261123T213005Z");

        OutboxMessage m = outbox.append(MessageKind.READING, "m1", Retention.BILLING, "{}");
        assertThat(outbox.oldest(ALL, 10)).contains(m);
    }

    @Test
    void damagedPagesAreFoundByTheCheckAndQuarantined() throws Exception {
        Path file = dir.resolve("metergate.db");
        SqliteOutbox before = open(file);
        for (int i = 0; i < 500; i++) {
            before.append(MessageKind.READING, "m1", Retention.BILLING, "{\"i\":" + i + ",\"pad\":\""
                    + "x".repeat(200) + "\"}");
        }
        before.close();
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isGreaterThan(20 * 4096);
        // keep the header page, scribble over the b-tree pages behind it
        for (int i = 4096 + 8; i < bytes.length - 4096; i += 61) {
            bytes[i] = (byte) 0xA5;
        }
        Files.write(file, bytes);

        SqliteOutbox after = open(file, FIXED);
        assertThat(dir.resolve("metergate.db.corrupt-20261123T213005Z")).exists().hasBinaryContent(bytes);
        assertThat(after.stats().lastError()).contains("damaged");
        assertThat(after.oldest(ALL, 10)).singleElement()
                .satisfies(e -> assertThat(e.payload()).contains("store-quarantined"));
    }

    @Test
    void aSecondQuarantineInTheSameSecondDoesNotOverwriteTheFirst() throws Exception {
        Path file = dir.resolve("metergate.db");
        Files.writeString(file, "garbage one ".repeat(100));
        open(file, FIXED).close();
        Files.writeString(file, "garbage two ".repeat(100));
        open(file, FIXED);
        assertThat(dir.resolve("metergate.db.corrupt-20261123T213005Z")).content().startsWith("garbage one");
        assertThat(dir.resolve("metergate.db.corrupt-20261123T213005Z-1")).content().startsWith("garbage two");
    }

    @Test
    void diskFullIsReportedAndAcceptedDataStaysIntact() throws Exception {
        SqliteOutbox outbox = open(dir.resolve("metergate.db"));
        List<OutboxMessage> accepted = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            accepted.add(outbox.append(MessageKind.READING, "m1", Retention.BILLING, "{\"i\":" + i + "}"));
        }
        // the file may not grow past its current size: SQLite answers SQLITE_FULL like on a full disk
        outbox.runOnStoreThread(c -> {
            try (Statement s = c.createStatement()) {
                long pages = Long.parseLong(one(s, "PRAGMA page_count"));
                s.execute("PRAGMA max_page_count = " + pages);
            }
        });
        // random text: the store compresses large payloads, and a repeated character would take no space
        java.util.Random random = new java.util.Random(7);
        StringBuilder pad = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            pad.append((char) ('a' + random.nextInt(26)));
        }
        String big = "{\"pad\":\"" + pad + "\"}";
        OutboxException full = null;
        for (int i = 0; i < 100 && full == null; i++) {
            try {
                accepted.add(outbox.append(MessageKind.READING, "m1", Retention.BILLING, big));
            } catch (OutboxException e) {
                full = e;
            }
        }
        assertThat(full).isNotNull();
        assertThat(full.reason()).isEqualTo(Reason.DISK_FULL);
        assertThat(full.getMessage()).contains("disk is full", "df -h", "Nothing already accepted was lost");
        assertThat(outbox.stats().lastError()).contains("disk is full");
        assertThat(outbox.oldest(ALL, 1000)).containsExactlyElementsOf(accepted);
        assertThat(outbox.stats().messages()).isEqualTo(accepted.size());

        // deleting still works, and once there is space again appends succeed
        outbox.acknowledge(List.of(accepted.get(0).msgId()));
        outbox.runOnStoreThread(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA max_page_count = 1073741823");
            }
        });
        OutboxMessage later = outbox.append(MessageKind.READING, "m1", Retention.BILLING, big);
        assertThat(outbox.oldest(ALL, 1000)).endsWith(later).hasSize(accepted.size());
    }

    @Test
    void storeThatBecomesReadOnlyRefusesWithReadOnly() throws Exception {
        // as root a chmod does not stop writes, and a read-only mount needs privileges; query_only makes
        // SQLite refuse writes with SQLITE_READONLY exactly as for a read-only file or filesystem
        SqliteOutbox outbox = open(dir.resolve("metergate.db"));
        OutboxMessage kept = outbox.append(MessageKind.RECEIPT, "m1", Retention.RECEIPT, "{}");
        outbox.runOnStoreThread(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA query_only = 1");
            }
        });
        assertThatThrownBy(() -> outbox.append(MessageKind.READING, "m1", Retention.BILLING, "{}"))
                .isInstanceOfSatisfying(OutboxException.class, e -> assertThat(e.reason()).isEqualTo(Reason.READ_ONLY))
                .hasMessageContaining("read-only").hasMessageContaining("mount");
        assertThat(outbox.stats().lastError()).contains("read-only");
        assertThat(outbox.oldest(ALL, 10)).containsExactly(kept);
    }

    @Test
    void readOnlyFileAtOpenIsRefusedWithReadOnly() throws Exception {
        Path file = dir.resolve("metergate.db");
        OutboxMessage kept = open(file).append(MessageKind.RECEIPT, "m1", Retention.RECEIPT, "{}");
        opened.forEach(SqliteOutbox::close);
        opened.clear();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        // root ignores permissions; the immutable attribute (ext4) stops root too
        boolean immutable = Files.isWritable(file) && chattr("+i", file);
        try {
            assumeThat(immutable || !Files.isWritable(file))
                    .as("cannot make a file read-only here (root on a filesystem without chattr)").isTrue();
            assertThatThrownBy(() -> open(file)).isInstanceOfSatisfying(OutboxException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.READ_ONLY))
                    .hasMessageContaining("opening failed because the file or its filesystem is read-only");
        } finally {
            if (immutable) {
                chattr("-i", file);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static boolean chattr(String flag, Path file) {
        try {
            Process p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
