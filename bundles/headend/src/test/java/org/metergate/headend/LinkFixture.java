// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.metergate.api.credit.CreditService;
import org.metergate.api.meter.MeteringService;

/** Builds links for the broker tests with short timings. */
final class LinkFixture {

    private LinkFixture() {
    }

    static HeadendSettings settings(String uri, int batch, int window, boolean insecure) {
        return settings(uri, batch, 65_536, window, insecure);
    }

    static HeadendSettings settings(String uri, int batch, int batchBytes, int window, boolean insecure) {
        return new HeadendSettings(uri, 3600, 30, batch, batchBytes, Duration.ZERO, 5, Duration.ofMillis(100),
                Duration.ofMillis(400), window, Duration.ofMillis(20), insecure, 1);
    }

    static HeadendLink link(HeadendSettings s, TestIdentity id, MemoryOutbox outbox, MeteringService metering,
            CreditService credit, RecordingLog log) {
        return new HeadendLink(s, id, outbox, () -> metering, () -> credit, log, "0.1.0.test", Clock.systemUTC());
    }

    /** Polls a condition that another thread makes true; fails with {@code what} when it does not happen. */
    static void eventually(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
