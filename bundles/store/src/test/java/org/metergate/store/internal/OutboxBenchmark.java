// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Retention;

/**
 * Not a test: appends/s of the SQLite outbox with one transaction per message versus group commit, all in
 * one run so the figures compare. Arguments: [threads] [messages per thread] [directory].
 */
public final class OutboxBenchmark {

    private OutboxBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int each = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("outbox-bench");
        String payload = "{\"schema\":\"reading/v1\",\"pad\":\"" + "x".repeat(170) + "\"}"; // ~200 bytes
        System.out.printf("%d threads x %d appends, %d-byte payloads, synchronous=FULL, in %s%n", threads, each,
                payload.length(), dir);
        run("one transaction per message (maxBatch=1)", dir, 1, 0, threads, each, payload);
        run("group commit maxBatch=256 maxDelay=0ms", dir, 256, 0, threads, each, payload);
        run("group commit maxBatch=256 maxDelay=2ms", dir, 256, 2, threads, each, payload);
        run("single appender, maxBatch=1", dir, 1, 0, 1, each, payload);
        run("single appender, group commit maxDelay=2ms", dir, 256, 2, 1, each, payload);
    }

    private static void run(String name, Path dir, int maxBatch, long maxDelayMs, int threads, int each,
            String payload) throws Exception {
        Path file = Files.createTempFile(dir, "bench", ".db");
        Files.delete(file);
        try (SqliteOutbox outbox = SqliteOutbox.open(new SqliteOutbox.Settings(file,
                new OutboxLimits(10_000_000, 1L << 40), maxBatch, maxDelayMs), Clock.systemUTC())) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, payload);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            long total = (long) threads * each;
            System.out.printf("%-48s %9.0f appends/s  (%d appends in %d transactions, %.2f s)%n", name,
                    total / seconds, total, outbox.appendTransactions(), seconds);
        }
    }
}
