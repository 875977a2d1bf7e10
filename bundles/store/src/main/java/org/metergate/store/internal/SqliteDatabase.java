// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxException.Reason;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the gateway database: WAL journal, {@code synchronous=FULL}, busy timeout, foreign keys, an integrity
 * check and the schema migrations. A file that is not a database or fails the check is moved aside (never
 * deleted) and a new one is started, so the gateway keeps working and the old data can still be examined.
 */
final class SqliteDatabase {

    static final int BUSY_TIMEOUT_MS = 5000;
    private static final DateTimeFormatter QUARANTINE_STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** An open, migrated connection; {@code quarantinedAs} is set when a damaged file was moved aside. */
    record Opened(Connection connection, Path quarantinedAs, String quarantineReason) {
    }

    private SqliteDatabase() {
    }

    static Opened open(Path file, Clock clock) throws OutboxException {
        createParent(file);
        try {
            return new Opened(openChecked(file), null, null);
        } catch (DamagedDatabase damaged) {
            Path kept = quarantine(file, clock, damaged.getMessage());
            try {
                return new Opened(openChecked(file), kept, damaged.getMessage());
            } catch (DamagedDatabase again) {
                throw new OutboxException(Reason.CORRUPT, "outbox database " + file + " is damaged again right after"
                        + " starting a new one (" + again.getMessage() + "); the storage itself is probably"
                        + " failing. Check dmesg and replace the SD card/disk.", again);
            }
        }
    }

    private static Connection openChecked(Path file) throws OutboxException, DamagedDatabase {
        Connection c = null;
        try {
            c = connect(file);
            configure(c, file);
            quickCheck(c);
            SchemaMigrations.migrate(c, file);
            probeWritable(c);
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            if (SqliteErrors.isCorrupt(e)) {
                throw new DamagedDatabase(e.getMessage(), e);
            }
            throw SqliteErrors.map(e, file, "opening");
        } catch (OutboxException | DamagedDatabase | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** Without DriverManager: inside OSGi it does not see the driver ("No suitable driver"). */
    private static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        // otherwise the driver runs a regex and a "SELECT last_insert_rowid()" after every INSERT; the store
        // knows its keys (it assigns the outbox sequence) or asks with RETURNING
        config.setGetGeneratedKeys(false);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return source.getConnection();
    }

    private static void configure(Connection c, Path file) throws SQLException, OutboxException {
        try (Statement s = c.createStatement()) {
            String mode = queryString(s, "PRAGMA journal_mode = WAL");
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new OutboxException(Reason.IO, "outbox database " + file + ": the filesystem does not support"
                        + " SQLite's WAL journal (journal_mode stays '" + mode + "'); put the data directory on a"
                        + " local filesystem (ext4, f2fs), not a network share");
            }
            // FULL: every commit is fsynced, so a returned append survives a power cut (see docs/store.md)
            s.execute("PRAGMA synchronous = FULL");
            s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
            s.execute("PRAGMA foreign_keys = ON");
        }
    }

    /**
     * SQLite silently opens a file it may not write read-only; find out now rather than at the first
     * append, so a read-only file or filesystem stops the store with a clear error at start.
     */
    private static void probeWritable(Connection c) throws SQLException {
        // rewriting the schema version with its own value is a real (tiny) write; BEGIN IMMEDIATE is not enough
        int version = SchemaMigrations.currentVersion(c);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + version);
        }
    }

    private static void quickCheck(Connection c) throws SQLException, DamagedDatabase {
        try (Statement s = c.createStatement()) {
            String result = queryString(s, "PRAGMA quick_check");
            if (!"ok".equalsIgnoreCase(result)) {
                throw new DamagedDatabase("integrity check failed: " + result, null);
            }
        }
    }

    private static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Moves the damaged file and its WAL/SHM companions to {@code <name>.corrupt-<UTC time>}. */
    private static Path quarantine(Path file, Clock clock, String reason) throws OutboxException {
        String stamp = QUARANTINE_STAMP.format(clock.instant());
        String suffix = ".corrupt-" + stamp;
        for (int n = 1; Files.exists(file.resolveSibling(file.getFileName() + suffix)); n++) {
            suffix = ".corrupt-" + stamp + "-" + n;
        }
        Path kept = file.resolveSibling(file.getFileName() + suffix);
        try {
            // companions first: if the main file move fails, the next start finds the same state again
            for (String companion : new String[] {"-wal", "-shm", "-journal"}) {
                Path f = file.resolveSibling(file.getFileName() + companion);
                if (Files.exists(f)) {
                    Files.move(f, f.resolveSibling(f.getFileName() + suffix));
                }
            }
            Files.move(file, kept);
        } catch (IOException e) {
            throw new OutboxException(Reason.CORRUPT, "outbox database " + file + " is damaged (" + reason
                    + ") and could not be moved aside to " + kept + " (" + e + "). Move it away by hand;"
                    + " the gateway never deletes it.", e);
        }
        return kept;
    }

    private static void createParent(Path file) throws OutboxException {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (AccessDeniedException e) {
            throw new OutboxException(Reason.READ_ONLY, "cannot create the data directory " + parent
                    + " (permission denied): create it and give it to the gateway user", e);
        } catch (FileSystemException e) {
            boolean readOnly = String.valueOf(e.getReason()).toLowerCase().contains("read-only");
            throw new OutboxException(readOnly ? Reason.READ_ONLY : Reason.IO, "cannot create the data directory "
                    + parent + " (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new OutboxException(Reason.IO, "cannot create the data directory " + parent + " (" + e + ")", e);
        }
    }

    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing after a failure; the failure itself is what gets reported
            }
        }
    }

    /** The file is not a database or fails the integrity check. */
    private static final class DamagedDatabase extends Exception {
        private static final long serialVersionUID = 1L;

        DamagedDatabase(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
