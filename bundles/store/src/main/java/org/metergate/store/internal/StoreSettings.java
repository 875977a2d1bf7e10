// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The component configuration, checked as a whole: any invalid value means the store does not start. */
record StoreSettings(boolean durable, SqliteOutbox.Settings sqlite, OutboxLimits limits) {

    static final String DATA_DIR_PROPERTY = "metergate.data.dir";
    static final String DEFAULT_DATA_DIR = "data";

    /**
     * @param dataDir the framework property {@value #DATA_DIR_PROPERTY}, or null
     * @throws IllegalArgumentException listing every invalid setting
     */
    static StoreSettings from(StoreConfig config, String dataDir) {
        List<String> problems = new ArrayList<>();
        String type = config.type() == null ? "" : config.type().trim().toLowerCase(Locale.ROOT);
        if (!type.equals("sqlite") && !type.equals("memory")) {
            problems.add("type is '" + config.type() + "'; use 'sqlite' (durable) or 'memory'");
        }
        OutboxLimits limits = null;
        try {
            limits = new OutboxLimits(config.maxMessages(), config.maxPayloadBytes());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        Path file = null;
        String dir = dataDir == null || dataDir.isBlank() ? DEFAULT_DATA_DIR : dataDir.trim();
        if (config.path() == null || config.path().isBlank()) {
            problems.add("path is empty; give the database file name, e.g. metergate.db");
        } else {
            try {
                file = Path.of(dir).resolve(config.path().trim()).normalize();
            } catch (InvalidPathException e) {
                problems.add("path '" + config.path() + "' (in data directory '" + dir + "') is not a valid file"
                        + " name: " + e.getReason());
            }
        }
        SqliteOutbox.Settings sqlite = null;
        if (limits != null && file != null) {
            try {
                sqlite = new SqliteOutbox.Settings(file, limits, config.groupCommitMaxBatch(),
                        config.groupCommitMaxDelayMs());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid store configuration (PID " + OutboxComponent.PID + "): "
                    + String.join("; ", problems) + ". The store was not started; fix conf/"
                    + OutboxComponent.PID + ".cfg");
        }
        return new StoreSettings(type.equals("sqlite"), sqlite, limits);
    }
}
