// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.Retention;
import org.sqlite.SQLiteDataSource;

/** The compact outbox table of schema 4: derived message ids, codes, compressed payloads, the upgrade. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutboxFormatTest {

    static final EnumSet<MessageKind> ALL = EnumSet.allOf(MessageKind.class);

    @TempDir
    Path dir;

    private SqliteOutbox open(Path file) throws Exception {
        return SqliteOutbox.open(SqliteOutbox.Settings.defaults(file), Clock.systemUTC());
    }

    @Test
    void messageIdsAreVersion8UuidsThatLeadBackToTheirSequence() {
        MessageIds ids = new MessageIds(MessageIds.newPrefix(new Random(1)));
        for (long seq : new long[] {0, 1, 255, 1L << 40, (1L << 48) + 5, (1L << 62) - 1}) {
            String id = ids.format(seq);
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(8);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
            assertThat(ids.sequence(id)).isEqualTo(seq);
        }
        MessageIds other = new MessageIds(MessageIds.newPrefix(new Random(2)));
        assertThat(other.sequence(ids.format(7))).isEqualTo(-1);
        assertThat(ids.sequence(ids.format(7).toUpperCase())).isEqualTo(-1);
        assertThat(ids.sequence("no-such-id")).isEqualTo(-1);
        assertThat(ids.sequence(UUID.randomUUID().toString())).isEqualTo(-1);
    }

    @Test
    void theTableShowsTheSameMessageIdsAndStoresLargePayloadsCompressed() throws Exception {
        Path file = dir.resolve("metergate.db");
        List<OutboxMessage> appended = new ArrayList<>();
        String readout = readout(40);
        try (SqliteOutbox outbox = open(file)) {
            appended.add(outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{\"v\":1}"));
            appended.add(outbox.append(MessageKind.READING, "m1", Retention.BILLING, readout));
            appended.add(outbox.append(MessageKind.EVENT, null, Retention.ALARM, "{\"type\":\"x\"}"));
            assertThat(outbox.oldest(ALL, 10)).containsExactlyElementsOf(appended);
        }
        try (Connection c = connect(file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT msg_id, encoding, length(payload), payload_bytes, kind,"
                        + " retention FROM outbox ORDER BY seq")) {
            for (OutboxMessage m : appended) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(m.msgId());
                assertThat(rs.getInt(5)).isEqualTo(OutboxCodes.code(m.kind()));
                assertThat(rs.getInt(6)).isEqualTo(OutboxCodes.code(m.retention()));
                if (m.payload().equals(readout)) {
                    assertThat(rs.getInt(2)).isEqualTo(PayloadCodec.DEFLATE);
                    assertThat(rs.getInt(3)).isLessThan(readout.length() / 4);
                    assertThat(rs.getInt(4)).isEqualTo(readout.length());
                } else {
                    assertThat(rs.getInt(2)).isEqualTo(PayloadCodec.TEXT);
                }
            }
        }
        try (SqliteOutbox reopened = open(file)) {
            assertThat(reopened.oldest(ALL, 10)).containsExactlyElementsOf(appended);
            reopened.acknowledge(List.of(appended.get(1).msgId()));
            assertThat(reopened.oldest(ALL, 10)).containsExactly(appended.get(0), appended.get(2));
            assertThat(reopened.stats().payloadBytes())
                    .isEqualTo(appended.get(0).payload().length() + appended.get(2).payload().length());
        }
    }

    @Test
    void aVersion3DatabaseKeepsItsMessagesIdsAndSequence() throws Exception {
        Path file = dir.resolve("v3.db");
        try (Connection c = connect(file); Statement s = c.createStatement()) {
            for (SchemaMigrations.Migration m : SchemaMigrations.ALL.subList(0, 3)) {
                m.step().apply(c);
            }
            s.execute("PRAGMA user_version = 3");
            s.execute("INSERT INTO outbox (seq, msg_id, kind, meter_id, retention, created_at, payload, payload_bytes)"
                    + " VALUES (1, 'old-a', 'READING', 'm1', 'ROUTINE', 1000, '{\"a\":1}', 7),"
                    + " (2, 'old-b', 'EVENT', NULL, 'ALARM', 2000, '{\"b\":2}', 7),"
                    + " (9, 'old-c', 'RECEIPT', 'm2', 'RECEIPT', 3000, '{\"c\":3}', 7)");
            s.execute("DELETE FROM outbox WHERE seq = 9"); // acknowledged: its sequence must never come back
        }
        try (SqliteOutbox outbox = open(file)) {
            List<OutboxMessage> kept = outbox.oldest(ALL, 10);
            assertThat(kept).extracting(OutboxMessage::msgId).containsExactly("old-a", "old-b");
            assertThat(kept).extracting(OutboxMessage::kind).containsExactly(MessageKind.READING, MessageKind.EVENT);
            assertThat(kept).extracting(OutboxMessage::retention).containsExactly(Retention.ROUTINE, Retention.ALARM);
            assertThat(kept.get(1).meterId()).isNull();
            assertThat(kept.get(0).createdAt().toEpochMilli()).isEqualTo(1000);
            OutboxMessage next = outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{}");
            assertThat(next.sequence()).isEqualTo(10);
            outbox.acknowledge(List.of("old-a", next.msgId()));
            assertThat(outbox.oldest(ALL, 10)).extracting(OutboxMessage::msgId).containsExactly("old-b");
            assertThat(outbox.stats().messages()).isEqualTo(1);
            assertThat(outbox.stats().payloadBytes()).isEqualTo(7);
        }
        try (Connection c = connect(file); Statement s = c.createStatement()) {
            assertThat(one(s, "SELECT msg_id FROM outbox")).isEqualTo("old-b");
            assertThat(one(s, "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")).isEqualTo("10");
            assertThat(one(s, "PRAGMA user_version")).isEqualTo(String.valueOf(SchemaMigrations.latestVersion()));
        }
    }

    @Test
    void priorityReadsUseTheSmallIndexNotTheBacklogOfReadings() throws Exception {
        try (SqliteOutbox outbox = open(dir.resolve("metergate.db"))) {
            List<String> plans = new ArrayList<>();
            outbox.runOnStoreThread(c -> {
                plans.add(plan(c, "SELECT seq FROM outbox WHERE kind <> 0 AND kind IN (1,2,3) ORDER BY seq LIMIT 5"));
                plans.add(plan(c, "SELECT seq FROM outbox WHERE retention = 0 ORDER BY seq"));
            });
            assertThat(plans.get(0)).contains("outbox_priority");
            assertThat(plans.get(1)).contains("outbox_routine");
        }
    }

    private static String plan(Connection c, String sql) throws SQLException {
        StringBuilder b = new StringBuilder();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
            while (rs.next()) {
                b.append(rs.getString(4)).append('\n');
            }
        }
        return b.toString();
    }

    static String readout(int readings) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < readings; i++) {
            String ts = String.format("2026-03-01T%02d:%02d:00Z", i / 4, (i % 4) * 15);
            b.append(i == 0 ? "" : ",").append("{\"id\":\"m1|1-0:1.8.0*255|").append(ts)
                    .append("\",\"meter\":\"m1\",\"obis\":\"1-0:1.8.0*255\",\"value\":").append(12_345_678 + i * 37)
                    .append(",\"scaler\":-3,\"unit\":\"kWh\",\"ts\":\"").append(ts).append("\",\"status\":\"ok\"}");
        }
        return b.append(']').toString();
    }

    private static Connection connect(Path file) throws SQLException {
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        return source.getConnection();
    }

    private static String one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
