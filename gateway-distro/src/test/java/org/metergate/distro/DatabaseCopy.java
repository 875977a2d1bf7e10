// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.sqlite.SQLiteJDBCLoader;

/**
 * A copy of a stopped gateway's database (with its {@code -wal} and {@code -shm} files) in a scratch directory,
 * deleted on close. Snapshots open the copy with the shipped store's own code, so they read what the gateway
 * would find at its next start while its own files stay untouched: after a {@code kill -9} the gateway itself
 * must recover its write-ahead log.
 */
final class DatabaseCopy implements AutoCloseable {

    private final Path dir;
    private final Path file;

    private DatabaseCopy(Path dir, Path file) {
        this.dir = dir;
        this.file = file;
    }

    /** Copies {@code database}; the gateway must not be running, or the copy could be torn. */
    static DatabaseCopy of(Path database, Path scratch) throws Exception {
        loadSqliteOnce(scratch);
        Path dir = Files.createTempDirectory(scratch, "db-");
        Path copy = dir.resolve(database.getFileName().toString());
        for (String suffix : List.of("", "-wal", "-shm")) {
            Path file = Path.of(database + suffix);
            if (Files.exists(file)) {
                Files.copy(file, Path.of(copy + suffix), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        if (!Files.exists(copy)) {
            deleteTree(dir);
            throw new AssertionError("no database at " + database);
        }
        return new DatabaseCopy(dir, copy);
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        deleteTree(dir);
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
