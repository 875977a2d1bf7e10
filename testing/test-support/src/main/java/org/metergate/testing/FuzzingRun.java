// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one Jazzer fuzz target ({@code @FuzzTest} method) in a JVM of its own: first every saved input under
 * {@code src/test/resources/<package>/<Class>Inputs/<method>/} (the regression inputs), then fuzzing for a
 * time budget. Its own JVM because Jazzer instruments every class it loads and installs its sanitizer hooks
 * for the rest of the JVM's life, which the module's other tests must not run under.
 *
 * <p>Budget per target: 3 s (CI); {@code -Dfuzz.long=true} gives 600 s, {@code -Dfuzz.seconds=N} any other.
 * A finding fails the test; the crashing input is in {@code target/fuzz-findings/<Class>/<method>/} and
 * becomes a regression input by copying it into the inputs directory above. On a platform Jazzer ships no
 * driver for, the test is skipped with that reason. The calling module needs {@code jazzer-junit} on its test
 * class path; the child JVM gets the same class path.
 */
public final class FuzzingRun {

    private static final long STARTUP_ALLOWANCE_SECONDS = 180;

    private FuzzingRun() {
    }

    /**
     * Replays the saved inputs of {@code targets.method} and fuzzes it for the budget; fails on a finding.
     *
     * @param targets the class holding the {@code @FuzzTest} method
     * @param method the name of that method
     */
    public static void fuzz(Class<?> targets, String method) throws IOException, InterruptedException {
        // a misspelt name would otherwise end as an unclear failure in the child JVM's log
        if (Arrays.stream(targets.getDeclaredMethods()).noneMatch(m -> m.getName().equals(method))) {
            throw new IllegalArgumentException(targets.getName() + " has no fuzz target method '" + method + "'");
        }
        assumeTrue(jazzerRunsHere(), () -> "Jazzer has no native driver for " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + "; " + targets.getSimpleName() + "." + method + " not run");
        long seconds = budgetSeconds();
        Path findings = Path.of("target", "fuzz-findings", targets.getSimpleName(), method).toAbsolutePath();
        Files.createDirectories(findings);
        Path log = findings.resolve("jazzer.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
                "-Dbasedir=" + System.getProperty("basedir", Path.of("").toAbsolutePath().toString()),
                "-cp", System.getProperty("java.class.path"),
                "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + targets.getName(), "--target_method=" + method,
                "-max_total_time=" + seconds, "-timeout=30",
                "-seed=" + Long.getLong("fuzz.seed", Boolean.getBoolean("fuzz.long") ? 0 : 1),
                "-artifact_prefix=" + findings + File.separator);
        Process process = new ProcessBuilder(command).directory(findings.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(seconds + STARTUP_ALLOWANCE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("fuzzing " + targets.getSimpleName() + "." + method + " did not end within "
                    + (seconds + STARTUP_ALLOWANCE_SECONDS) + " s; log: " + log);
        }
        assertThat(process.exitValue())
                .as("Jazzer on %s.%s (exit code; a finding is saved in %s, the run's output in %s):%n%s",
                        targets.getSimpleName(), method, findings, log, tail(log))
                .isZero();
        assertThat(crashFiles(findings)).as("crashing inputs saved by %s.%s", targets.getSimpleName(), method)
                .isEmpty();
    }

    /** Jazzer 0.24.0 ships its driver for Linux x86_64, macOS and Windows x86_64, not for Linux on ARM. */
    private static boolean jazzerRunsHere() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String platform = (os.startsWith("mac") ? "macos" : os.startsWith("windows") ? "windows" : os) + "_"
                + (arch.equals("amd64") ? "x86_64" : arch.equals("arm64") ? "aarch64" : arch);
        return FuzzingRun.class.getClassLoader()
                .getResource("com/code_intelligence/jazzer/driver/jazzer_driver_" + platform + "/") != null;
    }

    private static long budgetSeconds() {
        long seconds = Long.getLong("fuzz.seconds", Boolean.getBoolean("fuzz.long") ? 600 : 3);
        if (seconds < 1) {
            throw new IllegalArgumentException("fuzz.seconds must be at least 1, got " + seconds);
        }
        return seconds;
    }

    private static List<Path> crashFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("(crash|timeout|oom|leak)-.*")).toList();
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log).stream()
                .filter(l -> !l.startsWith("INFO: Instrumented") && !l.startsWith("INFO: Loaded")).toList();
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
