// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.log.internal;

import java.io.IOException;
import java.io.PrintStream;

import org.osgi.service.log.LogLevel;

/**
 * Filters, formats and writes entries to the console and/or the rotating file. A failing file (full
 * disk, read-only flash) is reported once on stderr and retried with every entry, so logging resumes
 * by itself once space is back.
 */
final class LogOutput implements AutoCloseable {

    private final LogLineFormatter formatter = new LogLineFormatter();
    private final LevelPolicy policy;
    private final PrintStream console;
    private final RotatingFileWriter file;
    private final PrintStream problems;
    private boolean fileFailing;

    /**
     * @param console where entries are printed, or null for none
     * @param file where entries are appended, or null for none
     * @param problems where trouble with the file itself is reported
     */
    LogOutput(LevelPolicy policy, PrintStream console, RotatingFileWriter file, PrintStream problems) {
        this.policy = policy;
        this.console = console;
        this.file = file;
        this.problems = problems;
    }

    LevelPolicy policy() {
        return policy;
    }

    synchronized void write(long epochMillis, LogLevel level, String loggerName, String bundleName, String message,
            Throwable error) {
        if (!policy.isWritten(level, loggerName, bundleName)) {
            return;
        }
        String line = formatter.format(epochMillis, level.name(), bundleName, message, error);
        if (console != null) {
            console.println(line);
        }
        if (file != null) {
            try {
                file.writeLine(line);
                fileFailing = false;
            } catch (IOException e) {
                if (!fileFailing) {
                    problems.println("metergate-log: cannot write " + file.file() + ": " + e
                            + " — check free space and permissions of the data directory; entries are lost from"
                            + " the file until this is fixed");
                }
                fileFailing = true;
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
