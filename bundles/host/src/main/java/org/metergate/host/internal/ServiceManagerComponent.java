// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.host.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.metergate.api.outbox.Outbox;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Reports to systemd when the gateway runs as its service: readiness, watchdog pings, stopping. Does nothing
 * elsewhere (no {@code NOTIFY_SOCKET}). Healthy means the framework is active and the outbox, when there is
 * one, answers within half a ping interval: a store stuck on a lock stops the pings.
 */
@Component(immediate = true)
public final class ServiceManagerComponent {

    private final BundleContext context;
    private final Logger log;
    private final ScheduledExecutorService pinger;
    private final ExecutorService healthCheck;
    private final ServiceNotifier notifier;
    private final Duration checkTimeout;
    private final WhenFrameworkStarted whenStarted;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Outbox outbox;

    @Activate
    public ServiceManagerComponent(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.log = log;
        Optional<ServiceNotifier.Settings> settings = settings(System.getenv(), ProcessHandle.current().pid());
        if (settings.isEmpty()) {
            pinger = null;
            healthCheck = null;
            notifier = null;
            checkTimeout = null;
            whenStarted = null;
            return;
        }
        notifier = new ServiceNotifier(socket(settings.get().socket()), this::problem, log::warn);
        Optional<Duration> every = settings.get().pingEvery();
        checkTimeout = every.map(d -> d.dividedBy(2)).orElse(Duration.ofSeconds(10));
        pinger = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "metergate-watchdog"));
        healthCheck = Executors.newSingleThreadExecutor(r -> daemon(r, "metergate-health-check"));
        // ready once every bundle has started, and the pings from then on
        whenStarted = WhenFrameworkStarted.run(context, () -> pinger.execute(() -> {
            notifier.ready();
            every.ifPresent(d -> pinger.scheduleAtFixedRate(notifier::tick, d.toMillis(), d.toMillis(),
                    TimeUnit.MILLISECONDS));
        }));
        log.info("reporting to systemd at {}{}", settings.get().socket(),
                every.map(d -> ", watchdog ping every " + d.toMillis() + " ms").orElse(", no watchdog"));
    }

    private Optional<ServiceNotifier.Settings> settings(Map<String, String> environment, long pid) {
        try {
            return ServiceNotifier.Settings.from(environment, pid);
        } catch (IllegalArgumentException e) {
            log.error("systemd watchdog off: {}", e.getMessage());
            return ServiceNotifier.Settings.from(Map.of("NOTIFY_SOCKET", environment.get("NOTIFY_SOCKET")), pid);
        }
    }

    private ServiceNotifier.Sender socket(String address) {
        return new ServiceNotifier.Sender() {
            private NotifySocket socket;

            @Override
            public synchronized void send(String message) throws IOException {
                if (socket == null) {
                    socket = NotifySocket.open("socat", address);
                }
                socket.send(message);
            }

            @Override
            public synchronized void close() {
                if (socket != null) {
                    socket.close();
                }
            }
        };
    }

    private Optional<String> problem() {
        int framework = context.getBundle(0).getState();
        if (framework != Bundle.ACTIVE && framework != Bundle.STARTING) {
            return Optional.of("the OSGi framework is stopping");
        }
        Outbox current = outbox;
        if (current == null) {
            return Optional.empty();
        }
        Future<?> answer = healthCheck.submit(current::stats);
        try {
            answer.get(checkTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (TimeoutException e) {
            answer.cancel(true);
            return Optional.of("the outbox did not answer within " + checkTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            // an outbox that answers with an error (disk full, read-only) is alive; a restart would not help it
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (notifier == null) {
            return;
        }
        whenStarted.close();
        pinger.shutdownNow();
        healthCheck.shutdownNow();
        pinger.awaitTermination(5, TimeUnit.SECONDS);
        notifier.stopping();
    }
}
