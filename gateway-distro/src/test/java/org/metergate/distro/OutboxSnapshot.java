// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.store.embedded.EmbeddedStore;
import org.metergate.store.embedded.Stores;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteJDBCLoader;

/**
 * What a stopped gateway's outbox holds: the messages still waiting (oldest first) and how many messages
 * it ever accepted.
 *
 * <p>The database files are copied first and the copy is opened with the shipped store's own code (the
 * same jar as in {@code bundle/}, through its embedding factory {@code Stores}), so the snapshot reads
 * exactly what the gateway would read at its next start, whatever the table layout or payload encoding,
 * and the gateway's own files stay untouched: after a {@code kill -9} the gateway itself must recover its
 * write-ahead log.
 */
record OutboxSnapshot(List<OutboxMessage> waiting, long accepted) {

    private static final int MAX_MESSAGES = 1_000_000;

    /**
     * Reads {@code database} (with its {@code -wal} and {@code -shm} files) through a copy made in
     * {@code scratch}; the gateway must not be running, or the copy could be torn.
     */
    static OutboxSnapshot read(Path database, Path scratch) throws Exception {
        loadSqliteOnce(scratch);
        Path dir = Files.createTempDirectory(scratch, "outbox-");
        try {
            Path copy = dir.resolve(database.getFileName().toString());
            for (String suffix : List.of("", "-wal", "-shm")) {
                Path file = Path.of(database + suffix);
                if (Files.exists(file)) {
                    Files.copy(file, Path.of(copy + suffix), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            if (!Files.exists(copy)) {
                throw new AssertionError("no outbox database at " + database);
            }
            List<OutboxMessage> waiting;
            try (EmbeddedStore store = Stores.sqlite(copy)) {
                Outbox outbox = store.outbox();
                waiting = outbox.oldest(EnumSet.allOf(MessageKind.class), MAX_MESSAGES);
                OutboxStats stats = outbox.stats();
                if (stats.lastError() != null || !Files.exists(copy)) {
                    throw new AssertionError("the store could not read a copy of " + database + ": " + stats.lastError());
                }
            }
            return new OutboxSnapshot(waiting, lastSequence(copy));
        } finally {
            deleteTree(dir);
        }
    }

    /** Delivery keys ({@link DeliveryKeys}) of the waiting messages, oldest first. */
    Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        waiting.forEach(m -> keys.add(DeliveryKeys.of(m)));
        return keys;
    }

    int size() {
        return waiting.size();
    }

    /** AUTOINCREMENT never reuses a sequence: the highest one given is the number of messages ever accepted. */
    private static long lastSequence(Path file) throws SQLException {
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        try (Connection c = source.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * sqlite-jdbc unpacks its native library once per class loader, into {@code org.sqlite.tmpdir}. An
     * in-process gateway of an earlier test in this JVM points that property at its own data directory,
     * which is deleted by now, so the first load here would fail: it goes to {@code scratch} instead.
     */
    private static synchronized void loadSqliteOnce(Path scratch) throws Exception {
        String key = "org.sqlite.tmpdir";
        String previous = System.getProperty(key);
        System.setProperty(key, Files.createDirectories(scratch.resolve("sqlite-native")).toString());
        try {
            SQLiteJDBCLoader.initialize();
        } finally {
            if (previous == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, previous);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}
