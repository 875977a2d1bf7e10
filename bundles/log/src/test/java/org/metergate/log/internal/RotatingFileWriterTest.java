// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.log.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.LogLevel;

class RotatingFileWriterTest {

    @TempDir
    Path dir;

    private static String line(int n) {
        return String.format("line %04d %s", n, "x".repeat(90)); // 100 bytes + newline
    }

    @Test
    void rotatesBySizeAndKeepsOnlyTheConfiguredNumberOfFiles() throws Exception {
        Path log = dir.resolve("log/metergate.log");
        try (RotatingFileWriter writer = new RotatingFileWriter(log, 1024, 3)) {
            for (int n = 0; n < 50; n++) {
                writer.writeLine(line(n));
            }
        }
        assertThat(dir.resolve("log")).isDirectoryContaining(p -> p.getFileName().toString().equals("metergate.log.2"));
        assertThat(Files.exists(dir.resolve("log/metergate.log.3"))).isFalse();
        for (Path file : new Path[] {log, dir.resolve("log/metergate.log.1"), dir.resolve("log/metergate.log.2")}) {
            assertThat(Files.size(file)).isLessThanOrEqualTo(1024);
        }
        // newest entries in the active file, the ones just before in .1, nothing lost in between
        assertThat(Files.readAllLines(log)).last().isEqualTo(line(49));
        String lastOfPrevious = Files.readAllLines(dir.resolve("log/metergate.log.1")).get(9);
        String firstOfActive = Files.readAllLines(log).get(0);
        assertThat(Integer.parseInt(firstOfActive.substring(5, 9)))
                .isEqualTo(Integer.parseInt(lastOfPrevious.substring(5, 9)) + 1);
    }

    @Test
    void appendsToAnExistingFileAfterRestart() throws Exception {
        Path log = dir.resolve("metergate.log");
        try (RotatingFileWriter writer = new RotatingFileWriter(log, 4096, 2)) {
            writer.writeLine("before restart");
        }
        try (RotatingFileWriter writer = new RotatingFileWriter(log, 4096, 2)) {
            writer.writeLine("after restart");
        }
        assertThat(Files.readAllLines(log)).containsExactly("before restart", "after restart");
    }

    @Test
    void rejectsNonsenseLimitsWithAClearMessage() {
        assertThatThrownBy(() -> new RotatingFileWriter(dir.resolve("a.log"), 10, 2))
                .hasMessageContaining("at least 1 KiB");
        assertThatThrownBy(() -> new RotatingFileWriter(dir.resolve("a.log"), 4096, 0))
                .hasMessageContaining("at least 1");
    }

    @Test
    void outputWritesOnlyWhatThePolicyAllowsToConsoleAndFile() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path log = dir.resolve("metergate.log");
        LevelPolicy policy = LevelPolicy.parse("INFO", "noisy=ERROR", s -> { });
        try (LogOutput output = new LogOutput(policy, new PrintStream(console, true, StandardCharsets.UTF_8),
                new RotatingFileWriter(log, 4096, 2), System.err)) {
            output.write(0, LogLevel.INFO, "a", "org.metergate.metering", "kept", null);
            output.write(0, LogLevel.DEBUG, "a", "org.metergate.metering", "dropped", null);
            output.write(0, LogLevel.WARN, "noisy.x", "b", "dropped too", null);
        }
        assertThat(Files.readAllLines(log)).containsExactly("1970-01-01T00:00:00Z INFO  [metering] kept");
        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo("1970-01-01T00:00:00Z INFO  [metering] kept"
                + System.lineSeparator());
    }
}
