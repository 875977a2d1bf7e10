// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.metergate.api.discovery.MeterProbe;
import org.metergate.api.discovery.MeterProposal;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkService;
import org.metergate.api.link.PortInfo;

/**
 * Runs discovery in the background, one at a time: every serial port the system lists (except busy ones and those a
 * configured meter uses) and every serial server typed in, each asked by every {@link MeterProbe} in turn until one
 * proposes a meter. Each probe bounds its own waits; a probe that still does not return within {@code probeLimit} is
 * abandoned (interrupted) and discovery moves on. Progress and findings are snapshots that any page can read at any
 * time without waiting.
 */
final class Discovery implements AutoCloseable {

    /** A probe's own waits are a few answer timeouts; this is the backstop for one that hangs anyway. */
    static Duration probeLimitFor(Duration answerTimeout) {
        return answerTimeout.multipliedBy(10).plusSeconds(10);
    }

    private final Supplier<LinkService> links;
    private final Supplier<List<MeterProbe>> probes;
    private final Supplier<Map<String, String>> configuredLinks;
    private final MeterConfigurations configurations;
    private final Duration answerTimeout;
    private final Duration probeLimit;
    private final Clock clock;
    private final Consumer<String> log;
    private final ExecutorService runner;
    private final ExecutorService probeThreads;
    /** Accepts one at a time, so two clicks cannot configure the same meter twice; readers are not held up. */
    private final Object accepting = new Object();
    private DiscoveryProgress progress = DiscoveryProgress.NONE;

    /**
     * @param configuredLinks link text to meter id of the meters already configured; their ports are not probed
     * @param log             one line per finished discovery and per accepted proposal
     */
    Discovery(Supplier<LinkService> links, Supplier<List<MeterProbe>> probes,
            Supplier<Map<String, String>> configuredLinks, MeterConfigurations configurations,
            Duration answerTimeout, Duration probeLimit, Clock clock, Consumer<String> log) {
        this.links = links;
        this.probes = probes;
        this.configuredLinks = configuredLinks;
        this.configurations = configurations;
        this.answerTimeout = answerTimeout;
        this.probeLimit = probeLimit;
        this.clock = clock;
        this.log = log;
        this.runner = Executors.newSingleThreadExecutor(r -> daemon(r, "metergate-discovery"));
        this.probeThreads = Executors.newCachedThreadPool(r -> daemon(r, "metergate-discovery-probe"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    synchronized DiscoveryProgress progress() {
        return progress;
    }

    /**
     * Starts a discovery of the local serial ports and the given serial servers.
     *
     * @return empty when started, otherwise why not (one is already running, no probe is available)
     */
    Optional<String> start(List<LinkAddress> serialServers) {
        List<MeterProbe> available = new ArrayList<>(probes.get());
        if (available.isEmpty()) {
            return Optional.of("No meter driver offers discovery: the IEC 62056-21 and DLMS/COSEM bundles are not "
                    + "running. Check the gateway log.");
        }
        // the standard's sign-on first, as with a hand-held unit; it does not disturb a DLMS meter's HDLC line
        available.sort(Comparator.comparing((MeterProbe p) -> !p.protocol().startsWith("IEC"))
                .thenComparing(MeterProbe::protocol));
        Optional<String> running = alreadyRunning();
        if (running.isPresent()) {
            return running; // and the ports are not listed: listing opens them, which would disturb the probes
        }
        LinkService service = links.get();
        List<PortInfo> ports = service == null ? List.of() : service.listPorts();
        Map<String, String> configured = configuredLinks.get();
        synchronized (this) {
            running = alreadyRunning();
            if (running.isPresent()) {
                return running;
            }
            List<DiscoveryFinding> skipped = new ArrayList<>();
            Set<LinkAddress> targets = new LinkedHashSet<>();
            for (PortInfo port : ports) {
                LinkAddress link = LinkAddress.serial(port.path());
                String meter = configured.get(link.toString());
                if (meter != null) {
                    skipped.add(new DiscoveryFinding(0, link, null, "not probed: meter " + meter + " uses it", null));
                } else if (port.busy()) {
                    skipped.add(new DiscoveryFinding(0, link, null, "not probed: another program holds the port",
                            null));
                } else {
                    targets.add(link);
                }
            }
            for (LinkAddress server : serialServers) {
                String meter = configured.get(server.toString());
                if (meter != null) {
                    skipped.add(new DiscoveryFinding(0, server, null, "not probed: meter " + meter + " uses it", null));
                } else {
                    targets.add(server);
                }
            }
            List<DiscoveryFinding> numbered = new ArrayList<>();
            for (DiscoveryFinding f : skipped) {
                numbered.add(new DiscoveryFinding(numbered.size() + 1, f.link(), null, f.outcome(), null));
            }
            int total = skipped.size() + targets.size();
            progress = new DiscoveryProgress(true, skipped.size(), total,
                    targets.isEmpty() ? "" : "starting", clock.instant(), null, numbered);
            runner.execute(() -> run(new ArrayList<>(targets), available));
        }
        return Optional.empty();
    }

    private synchronized Optional<String> alreadyRunning() {
        return progress.running() ? Optional.of("A discovery is already running (" + progress.done() + " of "
                + progress.total() + " links done); wait for it to finish.") : Optional.empty();
    }

    private void run(List<LinkAddress> targets, List<MeterProbe> available) {
        try {
            for (LinkAddress link : targets) {
                DiscoveryFinding finding = probe(link, available);
                synchronized (this) {
                    List<DiscoveryFinding> findings = new ArrayList<>(progress.findings());
                    findings.add(new DiscoveryFinding(findings.size() + 1, link, finding.proposal(),
                            finding.outcome(), null));
                    progress = new DiscoveryProgress(true, progress.done() + 1, progress.total(), progress.step(),
                            progress.started(), null, findings);
                }
            }
        } finally {
            DiscoveryProgress last;
            synchronized (this) {
                progress = new DiscoveryProgress(false, progress.done(), progress.total(), "", progress.started(),
                        clock.instant(), progress.findings());
                last = progress;
            }
            long found = last.findings().stream().filter(f -> f.proposal() != null).count();
            log.accept("discovery finished: " + last.total() + " links, " + found
                    + (found == 1 ? " meter" : " meters") + " found");
        }
    }

    private DiscoveryFinding probe(LinkAddress link, List<MeterProbe> available) {
        List<String> notes = new ArrayList<>();
        for (MeterProbe probe : available) {
            step(link + ": " + probe.protocol());
            Future<Optional<MeterProposal>> attempt = probeThreads.submit(() -> probe.probe(link, answerTimeout));
            try {
                Optional<MeterProposal> proposal = attempt.get(probeLimit.toMillis(), TimeUnit.MILLISECONDS);
                if (proposal.isPresent()) {
                    return new DiscoveryFinding(0, link, proposal.get(), proposal.get().protocol() + " meter "
                            + proposal.get().identification(), null);
                }
            } catch (TimeoutException e) {
                attempt.cancel(true);
                notes.add(probe.protocol() + " probe gave no result within " + (probeLimit.toSeconds() > 0
                        ? Text.duration(probeLimit) : probeLimit.toMillis() + " ms"));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException) {
                    // the link itself is the problem; the other protocols would fail the same way
                    return new DiscoveryFinding(0, link, null, "cannot open the link: " + cause.getMessage(), null);
                }
                notes.add(probe.protocol() + " probe failed: " + cause);
            } catch (InterruptedException e) {
                attempt.cancel(true);
                Thread.currentThread().interrupt();
                return new DiscoveryFinding(0, link, null, "discovery stopped", null);
            }
        }
        String tried = available.stream().map(MeterProbe::protocol).collect(Collectors.joining(" and "));
        return new DiscoveryFinding(0, link, null, DiscoveryFinding.NO_METER + " (tried " + tried + ")"
                + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)), null);
    }

    private synchronized void step(String step) {
        progress = new DiscoveryProgress(true, progress.done(), progress.total(), step, progress.started(), null,
                progress.findings());
    }

    /**
     * Creates the factory configuration of finding {@code number}'s proposal. The meter id is made unique among the
     * configured meters ({@code -2}, {@code -3}, ... appended).
     *
     * @return the configured meter id
     * @throws IllegalArgumentException no such finding, or it has no proposal
     * @throws IllegalStateException    already accepted, or ConfigAdmin is not available
     * @throws IOException              ConfigAdmin could not store the configuration
     */
    String accept(int number) throws IOException {
        synchronized (accepting) {
            return acceptAlone(number);
        }
    }

    private String acceptAlone(int number) throws IOException {
        DiscoveryFinding finding;
        synchronized (this) {
            finding = progress.findings().stream().filter(f -> f.number() == number).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("there is no finding " + number
                            + (progress.findings().isEmpty() ? "; run a discovery first"
                                    : "; the findings are numbered 1 to " + progress.findings().size())));
            if (finding.proposal() == null) {
                throw new IllegalArgumentException("finding " + number + " (" + finding.link() + ") has no meter "
                        + "to accept: " + finding.outcome());
            }
            if (finding.acceptedAs() != null) {
                throw new IllegalStateException("finding " + number + " was already accepted as meter "
                        + finding.acceptedAs());
            }
        }
        Set<String> taken = configurations.meterIds();
        taken.addAll(configuredLinks.get().values());
        MeterProposal proposal = finding.proposal();
        String id = proposal.meterId();
        for (int n = 2; taken.contains(id); n++) {
            String suffix = "-" + n;
            String base = proposal.meterId();
            id = (base.length() + suffix.length() > 64 ? base.substring(0, 64 - suffix.length()) : base) + suffix;
        }
        MeterProposal unique = id.equals(proposal.meterId()) ? proposal : proposal.withMeterId(id);
        String where = configurations.create(unique);
        synchronized (this) {
            List<DiscoveryFinding> findings = new ArrayList<>(progress.findings());
            findings.replaceAll(f -> f.number() == number ? f.accepted(unique.meterId()) : f);
            progress = new DiscoveryProgress(progress.running(), progress.done(), progress.total(), progress.step(),
                    progress.started(), progress.finished(), findings);
        }
        log.accept("discovery: meter " + unique.meterId() + " on " + unique.link() + " configured (" + where + ")");
        return unique.meterId();
    }

    @Override
    public void close() {
        runner.shutdownNow();
        probeThreads.shutdownNow();
    }
}
