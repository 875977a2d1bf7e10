// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.log.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.service.log.LogLevel;

/**
 * Which entries are written: a root level plus optional levels per logger name or bundle symbolic
 * name. A name matches itself and everything below it in dotted notation, the longest match wins,
 * the same way the OSGi LoggerAdmin resolves effective levels.
 */
final class LevelPolicy {

    private final LogLevel rootLevel;
    private final Map<String, LogLevel> levelsByName;

    LevelPolicy(LogLevel rootLevel, Map<String, LogLevel> levelsByName) {
        this.rootLevel = rootLevel;
        this.levelsByName = Collections.unmodifiableMap(new LinkedHashMap<>(levelsByName));
    }

    LogLevel rootLevel() {
        return rootLevel;
    }

    Map<String, LogLevel> levelsByName() {
        return levelsByName;
    }

    boolean isWritten(LogLevel level, String loggerName, String bundleName) {
        return effectiveLevel(loggerName, bundleName).implies(level);
    }

    LogLevel effectiveLevel(String loggerName, String bundleName) {
        LogLevel byLogger = longestMatch(loggerName);
        if (byLogger != null) {
            return byLogger;
        }
        LogLevel byBundle = longestMatch(bundleName);
        return byBundle != null ? byBundle : rootLevel;
    }

    private LogLevel longestMatch(String name) {
        String candidate = name;
        while (candidate != null && !candidate.isEmpty()) {
            LogLevel level = levelsByName.get(candidate);
            if (level != null) {
                return level;
            }
            int dot = candidate.lastIndexOf('.');
            candidate = dot > 0 ? candidate.substring(0, dot) : null;
        }
        return null;
    }

    /**
     * Reads the configured levels. Bad entries are reported through {@code problems} with what was
     * wrong and what is accepted, and skipped, so one typo does not silence the whole log.
     *
     * @param rootLevelText e.g. {@code INFO}
     * @param loggerLevelsText e.g. {@code org.metergate.store=DEBUG, Events.Bundle=WARN}
     */
    static LevelPolicy parse(String rootLevelText, String loggerLevelsText, Consumer<String> problems) {
        LogLevel root = parseLevel(rootLevelText);
        if (root == null) {
            problems.accept("log configuration 'rootLevel': '" + rootLevelText + "' is not a level; use one of "
                    + acceptedLevels() + ". Using INFO.");
            root = LogLevel.INFO;
        }
        Map<String, LogLevel> byName = new LinkedHashMap<>();
        if (loggerLevelsText != null) {
            for (String entry : loggerLevelsText.split("[,;]")) {
                String trimmed = entry.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int equals = trimmed.indexOf('=');
                String name = equals > 0 ? trimmed.substring(0, equals).trim() : "";
                LogLevel level = equals > 0 ? parseLevel(trimmed.substring(equals + 1)) : null;
                if (name.isEmpty() || level == null) {
                    problems.accept("log configuration 'loggerLevels': entry '" + trimmed
                            + "' ignored; write name=LEVEL (for example org.metergate.store=DEBUG) with LEVEL one of "
                            + acceptedLevels() + ".");
                    continue;
                }
                byName.put(name, level);
            }
        }
        return new LevelPolicy(root, byName);
    }

    static LogLevel parseLevel(String text) {
        if (text == null) {
            return null;
        }
        String normalized = text.trim().toUpperCase(Locale.ROOT);
        if (normalized.equals("WARNING")) {
            return LogLevel.WARN;
        }
        for (LogLevel level : LogLevel.values()) {
            if (level.name().equals(normalized)) {
                return level;
            }
        }
        return null;
    }

    private static String acceptedLevels() {
        return "ERROR, WARN, INFO, DEBUG, TRACE";
    }
}
