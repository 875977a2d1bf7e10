// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.eclipse.paho.mqttv5.client.persist.MqttDefaultFilePersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Retention;

/**
 * Durable appends per second of the SQLite outbox against Paho's own file persistence
 * ({@code MqttDefaultFilePersistence}, which writes and fsyncs one file per message), all in one run on the
 * same disk, so only the ratios matter. Every row is one reading (one outbox message, one Paho message), a
 * reading object as the metering bundle writes it (about 180 bytes). Paho is measured as a Paho client uses
 * it (one put at a time, under the client's lock) and, to give it every chance, from as many threads as the
 * outbox gets. The stored bytes per reading come from the database file after the appends (closed, so the WAL
 * is checkpointed into it) divided by the readings in it.
 *
 * <p>Not part of the test suite (surefire runs *Test classes only). Run:
 * {@code mvn -B -q -o -pl bundles/store test -Dtest=AppendBenchmark}
 */
@Tag("benchmark")
class AppendBenchmark {

    private static final int ROUNDS = 3;
    private static final int PAHO_PUTS = 2_000;
    private static final int APPENDERS = 256;
    private static final int GROUP_COMMIT_APPENDS = 200_000;
    private static final int SINGLE_APPENDS = 2_000;
    private static final int READOUT_SIZE = 16;
    private static final int READOUT_APPENDERS = 16;
    private static final int READOUTS = 12_500;
    private static final int STORED_READINGS = 200_000;

    private final Path work = Path.of("target/benchmark-data").toAbsolutePath();
    private final SampleReadings samples = new SampleReadings(42);

    @Test
    void durableAppendsAgainstPahoFilePersistence() throws Exception {
        Files.createDirectories(work);
        List<double[]> rounds = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        measureRound(); // warm-up: class loading, JIT and the first file creations are not what this measures
        for (int r = 0; r < ROUNDS; r++) {
            loads.add(loadAverage());
            rounds.add(measureRound());
        }
        StringBuilder out = new StringBuilder();
        out.append("Durable appends, one reading (~").append(samples.single(0).length())
                .append(" bytes JSON) per message; ").append(ROUNDS).append(" rounds after a warm-up; ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs; data in ").append(work)
                .append("\n\n");
        String[] names = {"Paho MqttDefaultFilePersistence, 1 thread", "Paho MqttDefaultFilePersistence, "
                + APPENDERS + " threads", "outbox, 1 appender", "outbox, " + APPENDERS + " appenders (group commit)",
            "outbox, " + READOUT_APPENDERS + " appenders x readouts of " + READOUT_SIZE + " readings"};
        out.append(String.format("| %-58s |", "readings/s"));
        for (int r = 0; r < ROUNDS; r++) {
            out.append(String.format(" round %d |", r + 1));
        }
        out.append(" median |\n");
        double[] medians = new double[names.length];
        for (int i = 0; i < names.length; i++) {
            out.append(String.format("| %-58s |", names[i]));
            double[] values = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                values[r] = rounds.get(r)[i];
                out.append(String.format(" %7.0f |", values[r]));
            }
            medians[i] = median(values);
            out.append(String.format(" %6.0f |%n", medians[i]));
        }
        out.append(String.format("| %-58s |", "machine load average (1 min) at round start"));
        for (String load : loads) {
            out.append(String.format(" %7s |", load));
        }
        out.append("        |\n");
        out.append("\nRatios of medians: outbox with group commit / Paho 1 thread = ")
                .append(String.format("%.1f", medians[3] / medians[0]))
                .append("; / Paho ").append(APPENDERS).append(" threads = ")
                .append(String.format("%.1f", medians[3] / medians[1]))
                .append("; outbox 1 appender / Paho 1 thread = ")
                .append(String.format("%.1f", medians[2] / medians[0])).append('\n');
        out.append("Per round, ratio outbox group commit / Paho 1 thread:");
        for (double[] r : rounds) {
            out.append(String.format(" %.1f", r[3] / r[0]));
        }
        out.append('\n');
        report("store-append.txt", out.toString());
    }

    @Test
    void storedBytesPerReading() throws Exception {
        Files.createDirectories(work);
        StringBuilder out = new StringBuilder("Stored bytes per reading: database file after close (WAL checkpointed)"
                + " / readings in it; page size 4096, default settings\n\n"
                + "| messages hold | readings | messages | payload bytes per reading (JSON) | file bytes | file bytes"
                + " per reading |\n|---|---|---|---|---|---|\n");
        out.append(stored("1 reading", STORED_READINGS, 1, n -> samples.single(n)));
        out.append(stored("a readout of " + READOUT_SIZE + " readings", STORED_READINGS, READOUT_SIZE,
                n -> samples.readout(n, READOUT_SIZE)));
        out.append(stored("a day of load profile (96 captures)", STORED_READINGS - STORED_READINGS % 96, 96,
                samples::profileDay));
        report("store-bytes.txt", out.toString());
    }

    private interface Payloads {
        String make(long n);
    }

    private String stored(String shape, int readings, int perMessage, Payloads payloads) throws Exception {
        Path file = fresh("bytes");
        int messages = readings / perMessage;
        List<String> bodies = new ArrayList<>(messages);
        for (int i = 0; i < messages; i++) {
            bodies.add(payloads.make(i));
        }
        long json = bodies.stream().mapToLong(b -> b.getBytes(StandardCharsets.UTF_8).length).sum();
        AtomicLong next = new AtomicLong();
        try (SqliteOutbox outbox = open(file)) {
            inThreads(64, () -> {
                for (long n; (n = next.getAndIncrement()) < messages; ) {
                    outbox.append(MessageKind.READING, SampleReadings.meter(n), Retention.ROUTINE,
                            bodies.get((int) n));
                }
            });
        }
        long size = Files.size(file);
        delete(file);
        return String.format("| %s | %d | %d | %.1f | %d | **%.1f** |%n", shape, messages * perMessage, messages,
                (double) json / (messages * perMessage), size, (double) size / (messages * perMessage));
    }

    /** Readings per second of: Paho 1 thread, Paho N threads, outbox 1, outbox N, outbox readouts. */
    private double[] measureRound() throws Exception {
        return new double[] {
            paho(1, PAHO_PUTS), paho(APPENDERS, PAHO_PUTS),
            outbox(1, SINGLE_APPENDS), outbox(APPENDERS, GROUP_COMMIT_APPENDS), readouts()};
    }

    private double paho(int threads, int puts) throws Exception {
        Path dir = fresh("paho");
        Files.createDirectories(dir);
        MqttDefaultFilePersistence persistence = new MqttDefaultFilePersistence(dir.toString());
        persistence.open("gw-bench");
        byte[] payload = samples.single(0).getBytes(StandardCharsets.UTF_8);
        AtomicLong next = new AtomicLong(1);
        long start = System.nanoTime();
        inThreads(threads, () -> {
            for (long n; (n = next.getAndIncrement()) <= puts; ) {
                MqttMessage message = new MqttMessage(payload, 1, false, null);
                MqttPublish publish = new MqttPublish("mg/v1/gw-bench/readings", message, new MqttProperties());
                publish.setMessageId((int) (n % 65_535) + 1);
                persistence.put("s-" + n, publish); // "s-": the key Paho uses for a sent QoS 1 message
            }
        });
        double rate = puts / seconds(start);
        persistence.close();
        delete(dir);
        return rate;
    }

    private double outbox(int threads, int appends) throws Exception {
        Path file = fresh("outbox");
        List<String> bodies = new ArrayList<>(1000);
        for (int i = 0; i < 1000; i++) {
            bodies.add(samples.single(i));
        }
        AtomicLong next = new AtomicLong();
        double rate;
        try (SqliteOutbox outbox = open(file)) {
            long start = System.nanoTime();
            inThreads(threads, () -> {
                for (long n; (n = next.getAndIncrement()) < appends; ) {
                    outbox.append(MessageKind.READING, SampleReadings.meter(n), Retention.ROUTINE,
                            bodies.get((int) (n % bodies.size())));
                }
            });
            rate = appends / seconds(start);
        }
        delete(file);
        return rate;
    }

    private double readouts() throws Exception {
        Path file = fresh("readouts");
        List<String> bodies = new ArrayList<>(100);
        for (int i = 0; i < 100; i++) {
            bodies.add(samples.readout(i, READOUT_SIZE));
        }
        AtomicLong next = new AtomicLong();
        double rate;
        try (SqliteOutbox outbox = open(file)) {
            long start = System.nanoTime();
            inThreads(READOUT_APPENDERS, () -> {
                for (long n; (n = next.getAndIncrement()) < READOUTS; ) {
                    outbox.append(MessageKind.READING, SampleReadings.meter(n), Retention.ROUTINE,
                            bodies.get((int) (n % bodies.size())));
                }
            });
            rate = (double) READOUTS * READOUT_SIZE / seconds(start);
        }
        delete(file);
        return rate;
    }

    /** The store's default settings, with limits high enough that nothing is dropped. */
    private static SqliteOutbox open(Path file) throws Exception {
        SqliteOutbox.Settings defaults = SqliteOutbox.Settings.defaults(file);
        return SqliteOutbox.open(new SqliteOutbox.Settings(file, new OutboxLimits(10_000_000, 1L << 40),
                defaults.groupCommitMaxBatch(), defaults.groupCommitMaxDelayMs()), Clock.systemUTC());
    }

    private interface Work {
        void run() throws Exception;
    }

    private static void inThreads(int threads, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    work.run();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private Path fresh(String name) throws Exception {
        Path p = work.resolve(name + "-" + System.nanoTime());
        delete(p);
        return p;
    }

    private static void delete(Path p) throws Exception {
        if (!Files.exists(p)) {
            for (String suffix : new String[] {"-wal", "-shm"}) {
                Files.deleteIfExists(p.resolveSibling(p.getFileName() + suffix));
            }
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
        delete(p);
    }

    /** Other work on the machine shows in the figures; the 1-minute load average says how much there was. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static void report(String name, String text) throws Exception {
        System.out.print(text);
        Path out = Path.of("target/benchmarks");
        Files.createDirectories(out);
        Files.writeString(out.resolve(name), text, StandardCharsets.UTF_8);
    }
}
