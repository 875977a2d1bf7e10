// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.Retention;

/**
 * Child process of the crash test: appends from several threads forever and prints every message whose
 * append() returned. The test kills it at a random point and checks that everything printed survived.
 * Arguments: database file, number of threads.
 */
public final class CrashingAppender {

    private CrashingAppender() {
    }

    static String payload(int thread, int i) {
        return "{\"thread\":" + thread + ",\"i\":" + i + ",\"pad\":\"" + "p".repeat(100) + "\"}";
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        SqliteOutbox outbox = SqliteOutbox.open(new SqliteOutbox.Settings(file,
                new OutboxLimits(10_000_000, 1L << 40), 64, 0), Clock.systemUTC());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    for (int i = 0;; i++) {
                        OutboxMessage m = outbox.append(MessageKind.READING, "m" + thread, Retention.BILLING,
                                payload(thread, i));
                        synchronized (out) {
                            // "end" marks a complete line: a kill may cut the last one short
                            out.println(m.sequence() + " " + m.msgId() + " " + thread + " " + i + " end");
                            out.flush();
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            worker.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
