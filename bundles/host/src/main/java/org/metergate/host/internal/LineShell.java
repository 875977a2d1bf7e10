// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.host.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * A read-execute-print loop over one Gogo session: prompt, read a line, execute it, print its result or its
 * error. It runs on a thread of its own, outside any Gogo job, so each line is a top-level job that the
 * session forgets when it ends. (Gogo's own console runs inside the job of its {@code gosh} command, and
 * that job keeps every line ever typed as a child, with its pipes and buffers: about 48 KB a line.)
 */
final class LineShell {

    static final String PROMPT = "g! ";

    private final CommandSession session;
    private final BufferedReader in;
    private final PrintStream out;
    private final PrintStream err;
    private volatile boolean closed;

    LineShell(CommandSession session, BufferedReader in, PrintStream out, PrintStream err) {
        this.session = session;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** Runs until the input ends (returns true) or {@link #close()} (returns false). */
    boolean run() throws IOException {
        while (!closed) {
            out.print(PROMPT);
            out.flush();
            String line = in.readLine();
            if (line == null) {
                return true;
            }
            if (!closed && !line.isBlank()) {
                execute(line);
            }
        }
        return false;
    }

    private void execute(String line) {
        try {
            Object result = session.execute(line);
            session.put("_", result);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
        } catch (Exception e) {
            session.put("exception", e);
            err.println("gogo: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        out.flush();
        err.flush();
    }

    /** Stops after the line being read or executed; a blocked read of the terminal cannot be interrupted. */
    void close() {
        closed = true;
    }
}
