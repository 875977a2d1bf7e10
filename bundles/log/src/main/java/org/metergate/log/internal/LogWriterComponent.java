// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.log.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.log.admin.LoggerContext;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Listens to the OSGi Log Service and writes every entry as one readable line to stdout and to
 * {@code <metergate.data.dir>/log/metergate.log}. The configured levels are also pushed into the
 * root LoggerAdmin context, because an R7 log service drops entries below the effective level before
 * any reader sees them.
 */
@Component(service = {}, configurationPid = LogWriterComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = LogWriterConfig.class)
public class LogWriterComponent implements LogListener {

    static final String PID = "org.metergate.log";
    static final String DATA_DIR_PROPERTY = "metergate.data.dir";
    static final String DEFAULT_DATA_DIR = "data";

    private final LogReaderService reader;
    private final LoggerAdmin loggerAdmin;
    private final Path logFile;
    private final Object lock = new Object();
    private LogOutput output;
    private long lastWrittenSequence = -1;

    @Activate
    public LogWriterComponent(@Reference LogReaderService reader,
            // greedy: if the LoggerAdmin shows up after us, reactivate so the configured levels reach it
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            LoggerAdmin loggerAdmin,
            BundleContext context, LogWriterConfig config) {
        this.reader = reader;
        this.loggerAdmin = loggerAdmin;
        String dataDir = context.getProperty(DATA_DIR_PROPERTY);
        this.logFile = Path.of(dataDir == null || dataDir.isBlank() ? DEFAULT_DATA_DIR : dataDir, "log", "metergate.log");
        synchronized (lock) {
            output = createOutput(config);
            // Listen first and replay the history under the lock: entries logged in between are written
            // once, the listener skips anything the history already covered (by sequence number).
            reader.addLogListener(this);
            replayHistory();
        }
    }

    @Modified
    void modified(LogWriterConfig config) {
        synchronized (lock) {
            closeQuietly(output);
            output = createOutput(config);
        }
    }

    @Deactivate
    void deactivate() {
        reader.removeLogListener(this);
        synchronized (lock) {
            closeQuietly(output);
        }
    }

    @Override
    public void logged(LogEntry entry) {
        synchronized (lock) {
            if (entry.getSequence() <= lastWrittenSequence) {
                return;
            }
            write(entry);
        }
    }

    private void replayHistory() {
        List<LogEntry> history = new ArrayList<>();
        Enumeration<LogEntry> newestFirst = reader.getLog();
        while (newestFirst.hasMoreElements()) {
            history.add(newestFirst.nextElement());
        }
        Collections.reverse(history);
        for (LogEntry entry : history) {
            write(entry);
        }
    }

    private void write(LogEntry entry) {
        lastWrittenSequence = Math.max(lastWrittenSequence, entry.getSequence());
        Bundle bundle = entry.getBundle();
        String bundleName = bundle == null ? null : bundle.getSymbolicName();
        output.write(entry.getTime(), entry.getLogLevel(), entry.getLoggerName(), bundleName, entry.getMessage(),
                entry.getException());
    }

    private LogOutput createOutput(LogWriterConfig config) {
        List<String> problems = new ArrayList<>();
        LevelPolicy policy = LevelPolicy.parse(config.rootLevel(), config.loggerLevels(), problems::add);
        applyToLoggerAdmin(policy);
        RotatingFileWriter file = null;
        if (config.file()) {
            try {
                file = new RotatingFileWriter(logFile, Math.max(16, config.maxFileSizeKb()) * 1024L,
                        Math.max(1, config.maxFiles()));
            } catch (IOException | RuntimeException e) {
                problems.add("cannot open log file " + logFile.toAbsolutePath() + ": " + e
                        + " — check that the data directory (framework property " + DATA_DIR_PROPERTY
                        + ") exists and is writable; logging to the console only");
            }
        }
        LogOutput created = new LogOutput(policy, config.console() || file == null ? System.out : null, file, System.err);
        for (String problem : problems) {
            created.write(System.currentTimeMillis(), LogLevel.ERROR, LogWriterComponent.class.getName(),
                    "org.metergate.log", problem, null);
        }
        return created;
    }

    /** Makes the log service keep what the policy writes; without this the R7 default (WARN) would apply. */
    private void applyToLoggerAdmin(LevelPolicy policy) {
        if (loggerAdmin == null) {
            return;
        }
        LoggerContext root = loggerAdmin.getLoggerContext(null);
        Map<String, LogLevel> levels = new HashMap<>(policy.levelsByName());
        levels.put(Logger.ROOT_LOGGER_NAME, policy.rootLevel());
        root.setLogLevels(levels);
    }

    private static void closeQuietly(LogOutput output) {
        if (output == null) {
            return;
        }
        try {
            output.close();
        } catch (IOException e) {
            System.err.println("metergate-log: closing the log file failed: " + e);
        }
    }
}
