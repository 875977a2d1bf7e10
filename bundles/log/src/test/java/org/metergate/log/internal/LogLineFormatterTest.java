// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.log.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class LogLineFormatterTest {

    private final LogLineFormatter formatter = new LogLineFormatter();
    private final long time = Instant.parse("2026-11-23T21:40:01.345Z").toEpochMilli();

    @Test
    void formatsTimestampLevelBundleAndMessageOnOneLine() {
        assertThat(formatter.format(time, "INFO", "org.metergate.iec62056-21", "m1 read 12 values", null))
                .isEqualTo("2026-11-23T21:40:01Z INFO  [iec62056-21] m1 read 12 values");
        assertThat(formatter.format(time, "ERROR", "org.apache.felix.scr", "x", null))
                .isEqualTo("2026-11-23T21:40:01Z ERROR [org.apache.felix.scr] x");
        assertThat(formatter.format(time, "WARN", null, null, null))
                .isEqualTo("2026-11-23T21:40:01Z WARN  [-] ");
    }

    @Test
    void escapesLineBreaksSoEveryEntryIsOneLine() {
        assertThat(formatter.format(time, "INFO", "b", "first\nsecond\r\nthird", null))
                .doesNotContain("\n").endsWith("first\\nsecond\\nthird");
    }

    @Test
    void summarizesTheCauseChainAndWhereTheInnermostWasThrown() {
        SocketTimeoutException root = new SocketTimeoutException("Read timed out");
        root.setStackTrace(new StackTraceElement[] {new StackTraceElement("org.x.Link", "read", "Link.java", 42)});
        IOException error = new IOException("no answer from m1", root);

        String line = formatter.format(time, "WARN", "org.metergate.metering", "poll failed", error);

        assertThat(line).isEqualTo("2026-11-23T21:40:01Z WARN  [metering] poll failed — IOException: no answer from m1"
                + " ← caused by SocketTimeoutException: Read timed out (at org.x.Link.read:42)");
    }

    @Test
    void stopsOnCyclicCauses() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(LogLineFormatter.summarize(b)).startsWith("RuntimeException: b ← caused by RuntimeException: a (at");
    }
}
