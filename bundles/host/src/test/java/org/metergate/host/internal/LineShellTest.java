// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LineShellTest {

    /** Commands of scope {@code t}, as a bundle would publish them. */
    public static final class Probe {
        public String where() {
            Job job = Job.Utils.current();
            return job == null ? "no job" : job.parent() == null ? "top-level job" : "nested in job " + job.parent().id();
        }

        public String fail(String meter) {
            throw new IllegalArgumentException("no meter " + meter);
        }
    }

    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private CommandProcessorImpl processor;
    private CommandSession session;

    @BeforeEach
    void startGogo() {
        threadIo.start();
        processor = new CommandProcessorImpl(threadIo);
        processor.addCommand("t", new Probe(), "where");
        processor.addCommand("t", new Probe(), "fail");
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, err);
    }

    @AfterEach
    void stopGogo() {
        session.close();
        processor.stop();
        threadIo.stop();
    }

    private boolean run(String input) throws Exception {
        LineShell shell = new LineShell(session, new BufferedReader(new StringReader(input)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return shell.run();
    }

    @Test
    void everyLineIsATopLevelJobThatTheSessionForgets() throws Exception {
        assertThat(run("t:where\n".repeat(200))).as("input ended").isTrue();

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed.split("top-level job", -1)).hasSize(201);
        assertThat(printed).doesNotContain("nested");
        // a finished top-level job leaves the session's list; nothing holds the 200 lines' pipes and buffers
        assertThat(session.jobs()).isEmpty();
    }

    @Test
    void resultsArePrintedAfterThePromptAndBlankLinesSkipped() throws Exception {
        run("\n   \nt:where\n");

        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo(LineShell.PROMPT.repeat(3) + "top-level job\n" + LineShell.PROMPT);
        assertThat(session.get("_")).isEqualTo("top-level job");
    }

    @Test
    void aFailingOrUnknownCommandIsReportedAndTheShellGoesOn() throws Exception {
        run("t:fail m7\nt:nosuch\nt:where\n");

        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(errors).contains("gogo: IllegalArgumentException: no meter m7")
                .contains("CommandNotFoundException").contains("t:nosuch");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("top-level job");
        assertThat(session.get("exception")).isNotNull();
    }

    @Test
    void closingStopsTheLoopWithoutExecutingTheLineReadLast() throws Exception {
        LineShell shell = new LineShell(session, new BufferedReader(new StringReader("t:where\n")),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        shell.close();

        assertThat(shell.run()).as("input ended").isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("top-level job");
    }
}
