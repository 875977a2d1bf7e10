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
                    "CREATE INDEX token_receipts_pending ON token_receipts(id) WHERE uplinked = 0")));

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
