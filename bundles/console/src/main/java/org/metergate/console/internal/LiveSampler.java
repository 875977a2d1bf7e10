// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.metergate.api.meter.MeteringService;
import org.osgi.service.log.Logger;

/**
 * Feeds {@link LiveValues} from the metering service every {@link #PERIOD} on one daemon thread, so the plots cover
 * the last hour even while nobody looks at the console. Reads only what metering already holds; it never reads a
 * meter.
 */
final class LiveSampler implements AutoCloseable {

    static final Duration PERIOD = Duration.ofSeconds(5);

    private final ScheduledExecutorService executor;

    LiveSampler(LiveValues values, Supplier<MeteringService> metering, Clock clock, Logger log) {
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "metergate-console-live-values");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> {
            MeteringService service = metering.get();
            if (service == null) {
                return;
            }
            try {
                values.sample(service, clock.instant());
            } catch (RuntimeException e) {
                // a failing metering service must not end the schedule; the next period tries again
                log.warn("console live values: metering could not be asked: {}", e.toString());
            }
        }, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
