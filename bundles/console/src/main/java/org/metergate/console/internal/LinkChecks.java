// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.metergate.api.uplink.LinkCheck;
import org.metergate.api.uplink.LinkCheckOutcome;
import org.metergate.api.uplink.LinkCheckReport;
import org.metergate.api.uplink.LinkCheckStage;
import org.metergate.api.uplink.LinkCheckStep;

/**
 * The console's connectivity check: one at a time, in the background, with the progress of each step kept for the
 * page that reloads itself. The check itself is the head-end bundle's {@link LinkCheck} service.
 */
final class LinkChecks implements AutoCloseable {

    /** What the page shows: the steps so far (every stage, those not reached as waiting) and the report when done. */
    record Snapshot(boolean running, Instant startedAt, List<LinkCheckStep> steps, LinkCheckReport report) {

        static final Snapshot NEVER = new Snapshot(false, null, List.of(), null);

        boolean started() {
            return startedAt != null;
        }
    }

    private final Supplier<LinkCheck> service;
    private final Clock clock;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "metergate-console-link-check");
        t.setDaemon(true);
        return t;
    });
    private final Map<LinkCheckStage, LinkCheckStep> progress = new EnumMap<>(LinkCheckStage.class);
    private boolean running;
    private Instant startedAt;
    private LinkCheckReport report;

    LinkChecks(Supplier<LinkCheck> service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    /** Starts a check, or says why not (one already runs, or no head-end link is configured). */
    synchronized Optional<String> start() {
        if (running) {
            return Optional.of("A check is already running; its steps appear below.");
        }
        LinkCheck check = service.get();
        if (check == null) {
            return Optional.of("No head-end link is configured, so there is nothing to check: set brokerUri in "
                    + "conf/org.metergate.headend.cfg.");
        }
        progress.clear();
        report = null;
        startedAt = clock.instant();
        running = true;
        try {
            runner.execute(() -> run(check));
        } catch (RejectedExecutionException e) {
            running = false;
            return Optional.of("The console is stopping.");
        }
        return Optional.empty();
    }

    private void run(LinkCheck check) {
        LinkCheckReport done = null;
        try {
            done = check.run(this::step);
        } catch (RuntimeException e) {
            step(new LinkCheckStep(firstUnfinished(), LinkCheckOutcome.FAILED, java.time.Duration.ZERO,
                    "The check stopped with an error: " + e.getMessage(), "Look at the gateway log, then run the "
                    + "check again."));
        } finally {
            finish(done);
        }
    }

    private synchronized void step(LinkCheckStep step) {
        progress.put(step.stage(), step);
    }

    private synchronized void finish(LinkCheckReport done) {
        report = done;
        running = false;
    }

    private synchronized LinkCheckStage firstUnfinished() {
        for (LinkCheckStage stage : LinkCheckStage.values()) {
            LinkCheckStep s = progress.get(stage);
            if (s == null || s.outcome() == LinkCheckOutcome.RUNNING) {
                return stage;
            }
        }
        return LinkCheckStage.ROUND_TRIP;
    }

    synchronized Snapshot snapshot() {
        if (startedAt == null) {
            return Snapshot.NEVER;
        }
        List<LinkCheckStep> steps = new ArrayList<>();
        for (LinkCheckStage stage : LinkCheckStage.values()) {
            LinkCheckStep s = progress.get(stage);
            if (s != null) {
                steps.add(s);
            }
        }
        return new Snapshot(running, startedAt, steps, report);
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
