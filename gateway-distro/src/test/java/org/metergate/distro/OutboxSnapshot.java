// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.store.embedded.EmbeddedStore;
import org.metergate.store.embedded.Stores;
import org.sqlite.SQLiteDataSource;

/**
 * What a stopped gateway's outbox holds: the messages still waiting (oldest first) and how many messages
 * it ever accepted, read from a {@link DatabaseCopy} with the shipped store's own code (the same jar as in
 * {@code bundle/}, through its embedding factory {@code Stores}), whatever the table layout or payload encoding.
 */
record OutboxSnapshot(List<OutboxMessage> waiting, long accepted) {

    private static final int MAX_MESSAGES = 1_000_000;

    /**
     * Reads {@code database} (with its {@code -wal} and {@code -shm} files) through a copy made in
     * {@code scratch}; the gateway must not be running, or the copy could be torn.
     */
    static OutboxSnapshot read(Path database, Path scratch) throws Exception {
        try (DatabaseCopy copy = DatabaseCopy.of(database, scratch)) {
            List<OutboxMessage> waiting;
            try (EmbeddedStore store = Stores.sqlite(copy.file())) {
                Outbox outbox = store.outbox();
                waiting = outbox.oldest(EnumSet.allOf(MessageKind.class), MAX_MESSAGES);
                OutboxStats stats = outbox.stats();
                if (stats.lastError() != null || !Files.exists(copy.file())) {
                    throw new AssertionError("the store could not read a copy of " + database + ": " + stats.lastError());
                }
            }
            return new OutboxSnapshot(waiting, lastSequence(copy.file()));
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
}
