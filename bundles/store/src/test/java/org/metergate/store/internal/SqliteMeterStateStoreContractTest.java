// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.Retention;
import org.metergate.api.state.PendingMessage;
import org.sqlite.SQLiteDataSource;

class SqliteMeterStateStoreContractTest extends MeterStateStoreContractTest {

    @TempDir
    Path dir;

    private final AtomicInteger files = new AtomicInteger();

    @Override
    protected Outbox create(OutboxLimits limits) throws Exception {
        Path file = dir.resolve("state-" + files.incrementAndGet() + ".db");
        return SqliteOutbox.open(new SqliteOutbox.Settings(file, limits, 64, 0), Clock.systemUTC());
    }

    @Test
    void stateAndMessagesSurviveAReopen() throws Exception {
        Path file = dir.resolve("reopen.db");
        try (SqliteOutbox store = SqliteOutbox.open(SqliteOutbox.Settings.defaults(file), Clock.systemUTC())) {
            store.appendWithState("m1", List.of(new PendingMessage(MessageKind.READING, Retention.BILLING, "[1]")),
                    Map.of("profile.cursor", "2026-03-01T00:15:00Z"));
        }
        try (SqliteOutbox store = SqliteOutbox.open(SqliteOutbox.Settings.defaults(file), Clock.systemUTC())) {
            assertThat(store.state("m1")).containsExactly(Map.entry("profile.cursor", "2026-03-01T00:15:00Z"));
            assertThat(store.oldest(EnumSet.allOf(MessageKind.class), 10)).hasSize(1);
        }
    }

    @Test
    void aVersionOneDatabaseKeepsItsMessagesAndGainsTheStateTable() throws Exception {
        Path file = dir.resolve("v1.db");
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
            SchemaMigrations.ALL.get(0).step().apply(c);
            s.execute("PRAGMA user_version = 1");
            s.execute("INSERT INTO outbox (msg_id, kind, meter_id, retention, created_at, payload, payload_bytes)"
                    + " VALUES ('a', 'READING', 'm1', 'BILLING', 0, '[1]', 3)");
        }
        try (SqliteOutbox store = SqliteOutbox.open(SqliteOutbox.Settings.defaults(file), Clock.systemUTC())) {
            assertThat(store.oldest(EnumSet.allOf(MessageKind.class), 10)).hasSize(1);
            assertThat(store.state("m1")).isEmpty();
            store.appendWithState("m1", List.of(), Map.of("k", "v"));
            assertThat(store.state("m1")).containsExactly(Map.entry("k", "v"));
        }
        try (Connection c = source.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(SchemaMigrations.latestVersion()).isEqualTo(5);
        }
    }
}
