// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps log lines for assertions (prefixed with the level) and echoes them to stderr. */
final class RecordingLog implements LinkLog {

    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void debug(String message) {
        add("DEBUG " + message);
    }

    @Override
    public void info(String message) {
        add("INFO " + message);
    }

    @Override
    public void warn(String message) {
        add("WARN " + message);
    }

    @Override
    public void error(String message, Throwable cause) {
        add("ERROR " + message + (cause == null ? "" : " " + cause));
    }

    private void add(String line) {
        lines.add(line);
        System.err.println(line);
    }

    boolean contains(String level, String fragment) {
        return lines.stream().anyMatch(l -> l.startsWith(level + " ") && l.contains(fragment));
    }
}
