// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxException.Reason;

/**
 * The database schema as an ordered list of migrations; {@code PRAGMA user_version} records the last one
 * applied. The token ledger and meter state join the same file by appending migrations here (never edit
 * one that has shipped). Each migration runs in its own transaction together with the version bump, so a
 * power cut leaves the schema at the previous or the next version, never in between.
 */
final class SchemaMigrations {

    /** The hook a migration implements; plain SQL via {@link #sql}, or code for data conversions. */
    interface Step {
        void apply(Connection c) throws SQLException;
    }

    /** One step of the schema; {@code version} numbers are consecutive from 1. */
    record Migration(int version, String description, Step step) {
    }

    static final List<Migration> ALL = List.of(
            new Migration(1, "outbox", sql("""
                    CREATE TABLE outbox (
                        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
                        msg_id        TEXT    NOT NULL UNIQUE,
                        kind          TEXT    NOT NULL,
                        meter_id      TEXT,
                        retention     TEXT    NOT NULL,
                        created_at    INTEGER NOT NULL,
                        payload       TEXT    NOT NULL,
                        payload_bytes INTEGER NOT NULL
                    )""",
                    "CREATE INDEX outbox_routine ON outbox(seq) WHERE retention = 'ROUTINE'")),
            new Migration(2, "meter state", sql("""
                    CREATE TABLE meter_state (
                        meter_id   TEXT    NOT NULL,
                        key        TEXT    NOT NULL,
                        value      TEXT    NOT NULL,
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (meter_id, key)
                    ) WITHOUT ROWID""")),
            new Migration(3, "token ledger", sql("""
                    CREATE TABLE token_ledger (
                        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
                        token_id      TEXT    NOT NULL UNIQUE,
                        meter_id      TEXT    NOT NULL,
                        kind          TEXT    NOT NULL,
                        amount_minor  INTEGER NOT NULL,
                        currency      TEXT,
                        meter_payload BLOB    NOT NULL,
                        accepted_at   INTEGER NOT NULL,
                        expires_at    INTEGER NOT NULL,
                        state         TEXT    NOT NULL,
                        outcome       TEXT,
                        updated_at    INTEGER NOT NULL
                    )""",
                    "CREATE INDEX token_ledger_open ON token_ledger(seq) WHERE state IN ('QUEUED', 'ENTERING')",
                    """
                    CREATE TABLE token_receipts (
                        id            INTEGER PRIMARY KEY AUTOINCREMENT,
                        token_id      TEXT    NOT NULL REFERENCES token_ledger(token_id) ON DELETE CASCADE,
                        meter_id      TEXT,
                        stage         TEXT    NOT NULL,
                        detail        TEXT,
                        balance_minor INTEGER,
                        currency      TEXT,
                        at            INTEGER NOT NULL,
                        uplinked      INTEGER NOT NULL
                    )""",
                    "CREATE INDEX token_receipts_token ON token_receipts(token_id, id)",
                    "CREATE INDEX token_receipts_pending ON token_receipts(id) WHERE uplinked = 0")),
            new Migration(4, "compact outbox", SchemaMigrations::compactOutbox),
            // a meter's token history (TokenLedger.recent) walks this index backwards: no scan, no sort
            new Migration(5, "token history by meter", sql(
                    "CREATE INDEX token_ledger_meter ON token_ledger(meter_id, seq)")));

    /** Name and key of the per-file random part of message ids (schema 4). */
    static final String IDENTITY_TABLE = "store_identity";
    static final String MSG_ID_PREFIX_KEY = "outbox.msgIdPrefix";

    /**
     * Schema 4: kind and retention as small codes, no stored or indexed random id per message (ids are derived
     * from the sequence, see {@link MessageIds}; ids of rows written before keep their text in
     * {@code legacy_id}), payload as text or deflate. Rebuilds the table: SQLite cannot drop a UNIQUE column
     * constraint. The AUTOINCREMENT counter is carried over, so no sequence (and no id) is ever reused.
     */
    private static void compactOutbox(Connection c) throws SQLException {
        MessageIds ids = new MessageIds(MessageIds.newPrefix());
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + IDENTITY_TABLE + " (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
            s.execute("INSERT INTO " + IDENTITY_TABLE + " VALUES ('" + MSG_ID_PREFIX_KEY + "', '" + ids.prefix() + "')");
            s.execute("CREATE TABLE outbox_v4 (\n"
                    + "    seq           INTEGER PRIMARY KEY AUTOINCREMENT,\n"
                    + "    kind          INTEGER NOT NULL,\n"
                    + "    meter_id      TEXT,\n"
                    + "    retention     INTEGER NOT NULL,\n"
                    + "    created_at    INTEGER NOT NULL,\n"
                    + "    payload_bytes INTEGER NOT NULL,\n"
                    + "    encoding      INTEGER NOT NULL,\n"
                    + "    payload       BLOB    NOT NULL,\n"
                    + "    legacy_id     TEXT,\n"
                    + "    msg_id        TEXT GENERATED ALWAYS AS (" + ids.sqlExpression("seq", "legacy_id") + ") VIRTUAL\n"
                    + ")");
            s.execute("INSERT INTO outbox_v4 (seq, kind, meter_id, retention, created_at, payload_bytes, encoding,"
                    + " payload, legacy_id) SELECT seq, " + OutboxCodes.kindCaseSql("kind") + ", meter_id, "
                    + OutboxCodes.retentionCaseSql("retention") + ", created_at, payload_bytes, "
                    + PayloadCodec.TEXT + ", payload, msg_id FROM outbox ORDER BY seq");
            s.execute("DELETE FROM sqlite_sequence WHERE name = 'outbox_v4'");
            s.execute("INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox_v4', seq FROM sqlite_sequence"
                    + " WHERE name = 'outbox'");
            s.execute("DROP TABLE outbox");
            s.execute("ALTER TABLE outbox_v4 RENAME TO outbox");
            s.execute("CREATE INDEX outbox_routine ON outbox(seq) WHERE retention = " + OutboxCodes.ROUTINE);
            s.execute("CREATE INDEX outbox_priority ON outbox(seq) WHERE kind <> " + OutboxCodes.READING);
            s.execute("CREATE INDEX outbox_legacy_id ON outbox(legacy_id) WHERE legacy_id IS NOT NULL");
        }
    }

    /** The random part of this file's message ids, written by migration 4. */
    static MessageIds messageIds(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT value FROM " + IDENTITY_TABLE
                + " WHERE name = '" + MSG_ID_PREFIX_KEY + "'")) {
            if (!rs.next()) {
                throw new SQLException("the database has no " + MSG_ID_PREFIX_KEY + " in " + IDENTITY_TABLE);
            }
            return new MessageIds(rs.getString(1));
        }
    }

    static Step sql(String... statements) {
        return c -> {
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
        };
    }

    private SchemaMigrations() {
    }

    static int latestVersion() {
        return ALL.get(ALL.size() - 1).version();
    }

    static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Brings the schema up to {@link #latestVersion()}; refuses a database written by newer software. */
    static void migrate(Connection c, Path file) throws SQLException, OutboxException {
        int current = currentVersion(c);
        if (current > latestVersion()) {
            throw new OutboxException(Reason.IO, "outbox database " + file + " has schema version " + current
                    + " but this software knows only up to " + latestVersion() + ": it was written by a newer"
                    + " Metergate. Install that version again; the file was left untouched.");
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (Migration m : ALL) {
                if (m.version() <= current) {
                    continue;
                }
                m.step().apply(c);
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA user_version = " + m.version());
                }
                c.commit();
            }
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
