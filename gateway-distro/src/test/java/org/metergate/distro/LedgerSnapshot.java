// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.store.embedded.EmbeddedStore;
import org.metergate.store.embedded.Stores;
import org.sqlite.SQLiteJDBCLoader;

/**
 * What a stopped gateway's token ledger holds for some token ids. Like {@link OutboxSnapshot}, the database files
 * are copied and the copy is opened with the shipped store's own code ({@code Stores}), so this reads what the
 * gateway would find at its next start and the gateway's own files stay untouched.
 */
record LedgerSnapshot(Map<String, Optional<LedgerEntry>> entries) {

    /** Reads the entries of {@code tokenIds}; the gateway must not be running, or the copy could be torn. */
    static LedgerSnapshot read(Path database, Path scratch, Collection<String> tokenIds) throws Exception {
        loadSqliteOnce(scratch);
        Path dir = Files.createTempDirectory(scratch, "ledger-");
        try {
            Path copy = dir.resolve(database.getFileName().toString());
            for (String suffix : List.of("", "-wal", "-shm")) {
                Path file = Path.of(database + suffix);
                if (Files.exists(file)) {
                    Files.copy(file, Path.of(copy + suffix), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            if (!Files.exists(copy)) {
                throw new AssertionError("no database at " + database);
            }
            Map<String, Optional<LedgerEntry>> found = new LinkedHashMap<>();
            try (EmbeddedStore store = Stores.sqlite(copy)) {
                TokenLedger ledger = store.tokenLedger();
                for (String id : tokenIds) {
                    found.put(id, ledger.find(id));
                }
            }
            return new LedgerSnapshot(found);
        } finally {
            deleteTree(dir);
        }
    }

    Optional<LedgerEntry> entry(String tokenId) {
        return entries.getOrDefault(tokenId, Optional.empty());
    }

    /** The same guard as {@link OutboxSnapshot}: sqlite-jdbc's native library goes to {@code scratch}. */
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
