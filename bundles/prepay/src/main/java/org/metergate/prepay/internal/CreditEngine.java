// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.credit.CreditService;
import org.metergate.api.credit.Receipt;
import org.metergate.api.credit.ReceiptStage;
import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.StoredReceipt;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.ledger.TokenState;
import org.metergate.api.meter.MeterException;

/**
 * The prepay logic without OSGi: verifies and records tokens, then works through each meter's queue one token at a
 * time in arrival order on the given scheduler (use a single thread: one session per meter at a time follows).
 * Unreachable meters are retried with a doubling wait until the token expires.
 */
final class CreditEngine implements CreditService {

    /** How long an "entering" token is still resolved against the meter after it expired. */
    static final Duration ENTERING_GRACE = Duration.ofDays(1);
    private static final int REMEMBERED_REJECTIONS = 256;

    private final PrepaySettings settings;
    private final TokenLedger ledger;
    private final MeterDirectory meters;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final PrepayLog log;
    private final TokenChecker checker;
    private final ReceiptSink sink;
    private final TokenApplier applier;
    private final MeterEvents events;
    private final Map<String, MeterQueue> queues = new ConcurrentHashMap<>();
    private final Set<String> queuedReported = ConcurrentHashMap.newKeySet();
    private final Map<String, String> eventFailures = new ConcurrentHashMap<>();
    private final Map<String, Receipt> rejections = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Receipt> eldest) {
            return size() > REMEMBERED_REJECTIONS;
        }
    };

    /** Per meter: when its next run is due (null when none is scheduled) and its current retry wait. */
    private static final class MeterQueue {
        Instant due;
        Duration backoff;
    }

    CreditEngine(PrepaySettings settings, TokenLedger ledger, ReceiptSink sink, MeterDirectory meters, Clock clock,
            ScheduledExecutorService scheduler, TokenApplier.Pause pause, PrepayLog log) {
        this(settings, ledger, sink, meters, clock, scheduler, pause, log, new MeterEvents(() -> null, clock, log));
    }

    /** @param events forwards the meter's credit and relay events after each token */
    CreditEngine(PrepaySettings settings, TokenLedger ledger, ReceiptSink sink, MeterDirectory meters, Clock clock,
            ScheduledExecutorService scheduler, TokenApplier.Pause pause, PrepayLog log, MeterEvents events) {
        this(settings, HeadendKeyRing.configuredOnly(settings.keys()), ledger, sink, meters, clock, scheduler, pause,
                log, events);
    }

    /** @param keys the head-end keys tokens are verified with */
    CreditEngine(PrepaySettings settings, HeadendKeyRing keys, TokenLedger ledger, ReceiptSink sink,
            MeterDirectory meters, Clock clock, ScheduledExecutorService scheduler, TokenApplier.Pause pause,
            PrepayLog log, MeterEvents events) {
        this.events = events;
        this.settings = settings;
        this.ledger = ledger;
        this.meters = meters;
        this.clock = clock;
        this.scheduler = scheduler;
        this.log = log;
        this.sink = sink;
        this.checker = new TokenChecker(settings, keys, meters::known, clock);
        this.applier = new TokenApplier(ledger, sink, settings, clock, pause, log);
    }

    /** How often finished, expired tokens are pruned from the ledger. */
    static final Duration PRUNE_INTERVAL = Duration.ofHours(1);

    /** Sends receipts a crash left behind, picks up every open token and prunes the ledger now and then. */
    void start() {
        scheduler.execute(sink::flush);
        ledger.open().stream().map(LedgerEntry::meterId).distinct().forEach(m -> schedule(m, Duration.ZERO));
        scheduler.scheduleWithFixedDelay(this::prune, 0, PRUNE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Forgets tokens that expired more than the clock skew ago: the checker rejects a replay of one as expired
     * with exactly the same limit, so no replay gets through a pruned ledger.
     */
    int prune() {
        try {
            int removed = ledger.prune(clock.instant().minus(settings.clockSkew()));
            if (removed > 0) {
                log.info("pruned " + removed + " expired credit token(s) from the ledger");
            }
            return removed;
        } catch (RuntimeException e) {
            log.warn("pruning the token ledger failed; it is tried again in " + PRUNE_INTERVAL.toMinutes() + " min", e);
            return 0;
        }
    }

    /** A meter appeared (or came back): try its queue now. */
    void meterAvailable(String meterId) {
        MeterQueue queue = queues.computeIfAbsent(meterId, id -> new MeterQueue());
        synchronized (queue) {
            queue.backoff = null;
            queue.due = null;
        }
        schedule(meterId, Duration.ZERO);
    }

    @Override
    public Receipt submit(String compactToken) {
        VerifiedToken token;
        try {
            token = checker.verify(compactToken);
        } catch (TokenRejection e) {
            String id = e.tokenId() != null ? e.tokenId() : "unidentified";
            Receipt rejected = new Receipt(id, e.meterId(), ReceiptStage.REJECTED, e.getMessage(), null, null,
                    clock.instant());
            log.info("credit token " + id + " rejected: " + e.getMessage());
            if (e.tokenId() != null) {
                synchronized (rejections) {
                    rejections.put(e.tokenId(), rejected);
                }
            }
            return rejected;
        }
        Optional<LedgerEntry> known = ledger.find(token.tokenId());
        if (known.isPresent()) {
            return duplicate(known.get(), token);
        }
        LedgerEntry entry = new LedgerEntry(0, token.tokenId(), token.meterId(), token.kind(), token.amountMinor(),
                token.currency(), token.meterPayload(), clock.instant(), token.expiresAt(), TokenState.QUEUED, null);
        Receipt accepted = new Receipt(token.tokenId(), token.meterId(), ReceiptStage.ACCEPTED,
                token.kind() + " " + token.amountMinor() + " " + token.currency() + ", queued for meter "
                        + token.meterId(), null, token.currency(), clock.instant());
        Optional<LedgerEntry> recorded = ledger.record(entry, accepted);
        if (recorded.isEmpty()) {
            // the same token arrived twice at once; the other copy was recorded
            return duplicate(ledger.find(token.tokenId()).orElseThrow(), token);
        }
        schedule(token.meterId(), Duration.ZERO);
        return accepted;
    }

    private Receipt duplicate(LedgerEntry original, VerifiedToken again) {
        if (!Arrays.equals(original.meterPayload(), again.meterPayload())) {
            return new Receipt(again.tokenId(), again.meterId(), ReceiptStage.REJECTED,
                    RejectReason.REUSED_TOKEN_ID.code() + ": token id " + again.tokenId()
                            + " was already used for a different token; nothing applied",
                    null, again.currency(), clock.instant());
        }
        String outcome = original.outcome() != null ? original.outcome()
                : "in progress: " + original.state().name().toLowerCase();
        return new Receipt(original.tokenId(), original.meterId(), ReceiptStage.DUPLICATE,
                "already received " + original.acceptedAt() + "; original outcome: " + outcome, null,
                original.currency(), clock.instant());
    }

    @Override
    public List<Receipt> receipts(String tokenId) {
        List<StoredReceipt> stored = ledger.receipts(tokenId);
        if (!stored.isEmpty()) {
            List<Receipt> out = new ArrayList<>(stored.size());
            stored.forEach(s -> out.add(s.receipt()));
            return out;
        }
        synchronized (rejections) {
            Receipt rejected = rejections.get(tokenId);
            return rejected == null ? List.of() : List.of(rejected);
        }
    }

    private void schedule(String meterId, Duration delay) {
        MeterQueue queue = queues.computeIfAbsent(meterId, id -> new MeterQueue());
        Instant due = clock.instant().plus(delay);
        synchronized (queue) {
            if (queue.due != null && !queue.due.isAfter(due)) {
                return; // an earlier run is already planned and will see this token too
            }
            if (queue.due != null && queue.backoff != null) {
                return; // keep backing off from a failing meter
            }
            queue.due = due;
        }
        try {
            scheduler.schedule(() -> run(meterId, due), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            log.warn("prepay scheduler is stopped; tokens of meter " + meterId + " wait for the next start", e);
        }
    }

    private void run(String meterId, Instant due) {
        MeterQueue queue = queues.get(meterId);
        synchronized (queue) {
            if (!due.equals(queue.due)) {
                return; // superseded by an earlier run
            }
            queue.due = null;
        }
        try {
            drain(meterId, queue);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("prepay failed on meter " + meterId + "; its tokens stay queued and are tried again", e);
            retryLater(meterId, queue, null);
        }
    }

    private void drain(String meterId, MeterQueue queue) throws InterruptedException {
        while (!Thread.currentThread().isInterrupted()) {
            Optional<LedgerEntry> next = ledger.open().stream().filter(e -> e.meterId().equals(meterId)).findFirst();
            if (next.isEmpty()) {
                return;
            }
            LedgerEntry entry = next.get();
            if (expire(entry)) {
                continue;
            }
            Optional<CosemMeter> meter = meters.meter(meterId);
            try {
                if (meter.isEmpty()) {
                    throw new MeterException(MeterException.Reason.CONFIGURATION, "meter " + meterId
                            + " is not configured or its DLMS driver is not running");
                }
                try (CosemSession session = meter.get().open()) {
                    applier.apply(session, entry);
                    forwardEvents(meterId, session);
                }
                synchronized (queue) {
                    queue.backoff = null;
                }
            } catch (MeterException e) {
                reportUnreachable(entry, e);
                retryLater(meterId, queue, entry);
                return;
            }
        }
    }

    /** The token may have reconnected the meter: its events go out now rather than at the next event poll. */
    private void forwardEvents(String meterId, CosemSession session) {
        try {
            events.forward(meterId, session);
        } catch (MeterException | RuntimeException e) {
            log.info("events of meter " + meterId + " not read after the token (" + e.getMessage()
                    + "); the next event poll reads them");
        }
    }

    /**
     * Reads the event logs of the given meters that have no token waiting (those are read after their tokens).
     * A meter in another session or not answering is skipped until the next poll.
     */
    void pollEvents(Iterable<String> meterIds) {
        if (!events.active()) {
            return;
        }
        Map<String, Integer> open = openTokens();
        for (String meterId : meterIds) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            Optional<CosemMeter> meter = meters.meter(meterId);
            if (meter.isEmpty() || open.containsKey(meterId)) {
                continue;
            }
            try (CosemSession session = meter.get().open()) {
                events.forward(meterId, session);
                eventFailures.remove(meterId);
            } catch (MeterException | RuntimeException e) {
                String problem = String.valueOf(e.getMessage());
                if (!problem.equals(eventFailures.put(meterId, problem))) {
                    log.info("event log of meter " + meterId + " not read: " + problem + "; tried again at the next poll");
                }
            }
        }
    }

    private boolean expire(LedgerEntry entry) {
        Instant now = clock.instant();
        Instant limit = entry.expiresAt().plus(settings.clockSkew());
        String detail;
        if (entry.state() == TokenState.QUEUED && now.isAfter(limit)) {
            detail = "expired at " + entry.expiresAt() + " before meter " + entry.meterId()
                    + " could take it; nothing was applied";
        } else if (entry.state() == TokenState.ENTERING && now.isAfter(limit.plus(ENTERING_GRACE))) {
            detail = "meter " + entry.meterId() + " was not reachable to confirm whether it applied the token;"
                    + " outcome unknown, check the meter's token log";
        } else {
            return false;
        }
        sink.publish(ledger.update(entry.tokenId(), TokenState.EXPIRED, "expired: " + detail,
                List.of(applier.receipt(entry, ReceiptStage.EXPIRED, detail, null))));
        return true;
    }

    private void reportUnreachable(LedgerEntry entry, MeterException e) {
        log.warn("token " + entry.tokenId() + " waits for meter " + entry.meterId() + ": " + e.getMessage(), null);
        if (queuedReported.add(entry.tokenId())) {
            sink.publish(ledger.addReceipts(entry.tokenId(), List.of(applier.receipt(entry, ReceiptStage.QUEUED,
                    "meter " + entry.meterId() + " unreachable (" + e.getMessage() + "); retrying until "
                            + entry.expiresAt(), null))));
        }
    }

    private void retryLater(String meterId, MeterQueue queue, LedgerEntry entry) {
        Duration wait;
        synchronized (queue) {
            wait = queue.backoff == null ? settings.retryInitial() : queue.backoff.multipliedBy(2);
            if (wait.compareTo(settings.retryMax()) > 0) {
                wait = settings.retryMax();
            }
            queue.backoff = wait;
        }
        if (entry != null && entry.state() == TokenState.QUEUED) {
            // wake up at expiry at the latest so the expired receipt is not late
            Duration untilExpiry = Duration.between(clock.instant(), entry.expiresAt().plus(settings.clockSkew()))
                    .plusMillis(1);
            if (!untilExpiry.isNegative() && untilExpiry.compareTo(wait) < 0) {
                wait = untilExpiry;
            }
        }
        synchronized (queue) {
            Instant due = clock.instant().plus(wait);
            queue.due = due;
            Duration delay = wait;
            try {
                scheduler.schedule(() -> run(meterId, due), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                log.warn("prepay scheduler is stopped; tokens of meter " + meterId + " wait for the next start", e);
            }
        }
    }

    /** Open tokens per meter, for status displays. */
    Map<String, Integer> openTokens() {
        Map<String, Integer> counts = new HashMap<>();
        ledger.open().forEach(e -> counts.merge(e.meterId(), 1, Integer::sum));
        return counts;
    }
}
