// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.metergate.api.meter.Meter;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterState;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.meter.Reading;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.state.MeterStateStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Polls every {@link Meter} service on its own schedule. Meters come and go with their configuration files;
 * each gets a {@link MeterPoller} driven by a small shared scheduler.
 */
@Component(service = MeteringService.class, configurationPid = MeteringComponent.PID, immediate = true)
@Designate(ocd = MeteringConfig.class)
public class MeteringComponent implements MeteringService, MeterPoller.Listener {

    static final String PID = "org.metergate.metering";

    private final Map<String, ScheduledPoller> pollers = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private final Outbox outbox;
    private final Logger log;
    private final ScheduledExecutorService scheduler;
    private final boolean logReadings;
    private final Duration readNowWait;
    private final MeterStateStore stateStore;
    private final CosemPolicy cosemPolicy;

    private record ScheduledPoller(MeterPoller poller, Meter meter, ScheduledFuture<?>[] next) {
    }

    @Activate
    public MeteringComponent(@Reference Outbox outbox, @Reference(service = LoggerFactory.class) Logger log,
            @Reference MeterStateStore stateStore, MeteringConfig config) {
        this.outbox = outbox;
        this.log = log;
        try {
            this.cosemPolicy = CosemPolicy.from(config);
        } catch (IllegalArgumentException e) {
            log.error(e.getMessage());
            throw e;
        }
        // mandatory although the store registers it with the outbox: an optional one let this component start on
        // the outbox alone and start again a moment later when the same registration reached the second reference
        this.stateStore = stateStore;
        int threads = Math.max(1, Math.min(16, config.workerThreads()));
        if (threads != config.workerThreads()) {
            log.warn("workerThreads {} is outside 1..16, using {}", config.workerThreads(), threads);
        }
        this.scheduler = Executors.newScheduledThreadPool(threads, namedThreads());
        this.logReadings = config.logReadings();
        this.readNowWait = Duration.ofSeconds(Math.max(1, config.readNowWaitSeconds()));
    }

    private static ThreadFactory namedThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "metergate-metering-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addMeter(Meter meter) {
        MeterPoller poller = new MeterPoller(meter, outbox, stateStore, cosemPolicy, clock, this);
        ScheduledPoller previous = pollers.put(meter.id(), new ScheduledPoller(poller, meter, new ScheduledFuture<?>[1]));
        if (previous != null) {
            log.warn("two meters are configured with id {}; the later one ({}) replaces {}", meter.id(), meter,
                    previous.meter);
            stop(previous);
        }
        log.info("meter {} added: {}", meter.id(), meter);
        schedule(meter.id(), Duration.ZERO);
    }

    void removeMeter(Meter meter) {
        ScheduledPoller removed = pollers.get(meter.id());
        if (removed != null && removed.meter == meter) {
            pollers.remove(meter.id(), removed);
            stop(removed);
            log.info("meter {} removed", meter.id());
        }
    }

    private void stop(ScheduledPoller p) {
        synchronized (p.next) {
            if (p.next[0] != null) {
                p.next[0].cancel(false);
            }
        }
        p.poller.stop();
    }

    private void schedule(String meterId, Duration delay) {
        ScheduledPoller p = pollers.get(meterId);
        if (p == null || scheduler.isShutdown()) {
            return;
        }
        synchronized (p.next) {
            p.next[0] = scheduler.schedule(() -> runAttempt(p), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void runAttempt(ScheduledPoller p) {
        Duration next = p.poller.attempt();
        if (pollers.get(p.meter.id()) == p) {
            schedule(p.meter.id(), next);
        }
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
        pollers.values().forEach(this::stop);
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("metering threads did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pollers.clear();
    }

    @Override
    public List<MeterStatus> meters() {
        List<MeterStatus> list = new ArrayList<>();
        pollers.values().forEach(p -> list.add(p.poller.status()));
        list.sort(Comparator.comparing(MeterStatus::meterId));
        return list;
    }

    @Override
    public Optional<MeterStatus> meter(String meterId) {
        return Optional.ofNullable(pollers.get(meterId)).map(p -> p.poller.status());
    }

    @Override
    public Optional<MeterReadout> lastReadout(String meterId) {
        return Optional.ofNullable(pollers.get(meterId)).flatMap(p -> p.poller.lastReadout());
    }

    @Override
    public MeterReadout readNow(String meterId) throws MeterException {
        ScheduledPoller p = pollers.get(meterId);
        if (p == null) {
            String known = pollers.keySet().stream().sorted().collect(Collectors.joining(", "));
            throw new MeterException(MeterException.Reason.CONFIGURATION, "no meter with id '" + meterId
                    + "' is configured" + (known.isEmpty() ? " (no meters are configured)" : " (configured: " + known + ")"));
        }
        return p.poller.readNow(readNowWait);
    }

    @Override
    public void readout(MeterReadout readout) {
        if (logReadings) {
            log.info("{} read {} values: {}", readout.meterId(), readout.readings().size(),
                    readout.readings().stream().map(Reading::display).collect(Collectors.joining("; ")));
            String prepaid = PlainWords.prepaid(readout);
            if (!prepaid.isEmpty()) {
                log.info("{}: {}", readout.meterId(), prepaid);
            }
        }
    }

    @Override
    public void daily(String meterId, LocalDate day, List<Reading> atMidnight, Reading consumption) {
        if (!logReadings) {
            return;
        }
        Reading importAtMidnight = atMidnight.stream().filter(r -> r.obis().equals(CosemReads.IMPORT) && r.isNumeric())
                .findFirst().orElse(null);
        String register = importAtMidnight == null ? ""
                : " (import register at 00:00 of " + day + ": "
                        + PlainWords.energy(importAtMidnight.scaledValue(), importAtMidnight.unit()) + ")";
        if (consumption == null) {
            log.info("{}: daily values of {} queued{}; the consumption of {} is not known (first day read)", meterId,
                    day, register, day.minusDays(1));
        } else {
            log.info("{}: daily consumption on {}: {}{}", meterId, day.minusDays(1),
                    PlainWords.energy(consumption.scaledValue(), consumption.unit()), register);
        }
    }

    @Override
    public void failure(String meterId, MeterException failure, MeterState state) {
        if (state == MeterState.RETRYING) {
            log.info("{}: {} (will retry)", meterId, failure.getMessage());
        } else {
            log.warn("{} is {}: {}", meterId, state.name().toLowerCase(), failure.getMessage());
        }
    }
}
