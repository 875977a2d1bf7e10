// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.log.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Turns one log entry into one readable line:
 * {@code 2026-11-23T21:40:01Z INFO  [iec62056-21] message — IOException: boom ← caused by ...}.
 * One line per entry keeps {@code grep} and {@code tail -f} useful for a technician; the exception
 * summary names each cause and where the innermost one was thrown instead of a full stack trace.
 */
final class LogLineFormatter {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final String OWN_PREFIX = "org.metergate.";
    private static final int MAX_CAUSES = 5;

    String format(long epochMillis, String level, String bundleName, String message, Throwable error) {
        StringBuilder line = new StringBuilder(128);
        line.append(TIMESTAMP.format(Instant.ofEpochMilli(epochMillis))).append(' ');
        line.append(padLevel(level)).append(' ');
        line.append('[').append(shortBundleName(bundleName)).append("] ");
        line.append(singleLine(message == null ? "" : message));
        if (error != null) {
            line.append(" — ").append(summarize(error));
        }
        return line.toString();
    }

    static String shortBundleName(String bundleName) {
        if (bundleName == null || bundleName.isBlank()) {
            return "-";
        }
        return bundleName.startsWith(OWN_PREFIX) ? bundleName.substring(OWN_PREFIX.length()) : bundleName;
    }

    private static String padLevel(String level) {
        String name = level == null ? "?" : level;
        return name.length() >= 5 ? name : name + " ".repeat(5 - name.length());
    }

    /** Escapes line breaks so that a multi-line message still occupies exactly one line. */
    static String singleLine(String text) {
        return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
    }

    static String summarize(Throwable error) {
        StringBuilder summary = new StringBuilder();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable current = error;
        Throwable innermost = error;
        int depth = 0;
        while (current != null && seen.put(current, Boolean.TRUE) == null && depth < MAX_CAUSES) {
            if (depth > 0) {
                summary.append(" ← caused by ");
            }
            summary.append(current.getClass().getSimpleName());
            if (current.getMessage() != null) {
                summary.append(": ").append(singleLine(current.getMessage()));
            }
            innermost = current;
            current = current.getCause();
            depth++;
        }
        StackTraceElement[] frames = innermost.getStackTrace();
        if (frames.length > 0) {
            StackTraceElement top = frames[0];
            summary.append(" (at ").append(top.getClassName()).append('.').append(top.getMethodName());
            if (top.getLineNumber() > 0) {
                summary.append(':').append(top.getLineNumber());
            }
            summary.append(')');
        }
        return summary.toString();
    }
}
