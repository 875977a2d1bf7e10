// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.model;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;

/**
 * Register totals per meter in {@code <dir>/<meterId>.state} (a properties file), written atomically
 * (temporary file + rename) so a crash leaves either the old or the new totals, never half a file.
 */
public final class RegisterStateStore {

    private final Path directory;

    public RegisterStateStore(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    public Path fileFor(String meterId) {
        return directory.resolve(meterId + ".state");
    }

    public Optional<RegisterState> load(String meterId) {
        Path file = fileFor(meterId);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            return Optional.of(new RegisterState(Instant.parse(required(p, "at", file)),
                    Double.parseDouble(required(p, "importDayWh", file)),
                    Double.parseDouble(required(p, "importNightWh", file)),
                    Double.parseDouble(required(p, "exportWh", file))));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read meter state file " + file + ": " + e.getMessage(), e);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalStateException("Meter state file " + file + " is damaged (" + e.getMessage()
                    + "); fix or delete it to start that meter from fresh totals", e);
        }
    }

    public void save(String meterId, RegisterState state) {
        Path file = fileFor(meterId);
        Properties p = new Properties();
        p.setProperty("at", state.at().toString());
        p.setProperty("importDayWh", Double.toString(state.importDayWh()));
        p.setProperty("importNightWh", Double.toString(state.importNightWh()));
        p.setProperty("exportWh", Double.toString(state.exportWh()));
        try {
            Files.createDirectories(directory);
            Path tmp = directory.resolve(meterId + ".state.tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "Metergate simulator register totals for meter " + meterId);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write meter state file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key, Path file) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("Meter state file " + file + " lacks '" + key
                    + "'; fix or delete it to start that meter from fresh totals");
        }
        return value;
    }
}
