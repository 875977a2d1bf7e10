// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The settings of a systemd unit file, by section; a key given more than once keeps every value. */
final class SystemdUnit {

    private final Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();

    private SystemdUnit() {
    }

    static SystemdUnit read(Path file) throws IOException {
        SystemdUnit unit = new SystemdUnit();
        String section = null;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                unit.sections.putIfAbsent(section, new LinkedHashMap<>());
            } else if (section != null && line.contains("=")) {
                String key = line.substring(0, line.indexOf('=')).trim();
                String value = line.substring(line.indexOf('=') + 1).trim();
                unit.sections.get(section).computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            } else {
                throw new IllegalArgumentException(file + ": line outside a section or without '=': " + raw);
            }
        }
        return unit;
    }

    /** All values of {@code key} in {@code section}, in file order (empty when absent). */
    List<String> values(String section, String key) {
        return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }

    /** The last value of {@code key} (systemd's rule for single-valued settings), or null. */
    String value(String section, String key) {
        List<String> values = values(section, key);
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    Map<String, List<String>> section(String section) {
        return sections.getOrDefault(section, Map.of());
    }
}
