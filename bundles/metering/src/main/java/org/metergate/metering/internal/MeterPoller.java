// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.meter.Meter;
import org.metergate.api.meter.MeterEvent;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterSession;
import org.metergate.api.meter.MeterState;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.ProfileCatchUp;
import org.metergate.api.meter.Reading;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.Retention;
import org.metergate.api.state.MeterStateStore;

/**
 * Reads one meter: one attempt per call to {@link #attempt()}, which returns when the next attempt is due
 * (the next poll, or a retry after backoff). Time and threads stay with the caller, so the retry and
 * backoff logic is tested without waiting. A meter that stops answering is marked unreachable once (an
 * event) and no values are reported for it until it answers again.
 */
final class MeterPoller {

    /** Uplink messages kept in memory while the outbox refuses them (disk full); beyond this the oldest goes. */
    static final int MAX_UNSTORED = 64;

    interface Listener {
        void readout(MeterReadout readout);

        void failure(String meterId, MeterException failure, MeterState state);

        /** A DLMS meter's daily values were queued; {@code consumption} is null for the first day. */
        default void daily(String meterId, LocalDate day, List<Reading> atMidnight, Reading consumption) {
        }

        /**
         * A DLMS meter's load-profile catch-up started or queued another chunk ({@code progress} as
         * the meter's status shows it from now on), or ended ({@code progress} null). Called on the polling thread.
         */
        default void catchUpProgress(String meterId, ProfileCatchUp progress) {
        }
    }

    private record Unstored(MessageKind kind, Retention retention, String payload) {
    }

    private final Meter meter;
    private final Outbox outbox;
    private final Clock clock;
    private final Listener listener;
    /** One conversation per meter at a time: scheduled polls and read-now share the optical port. */
    private final ReentrantLock portLock = new ReentrantLock();
    private final Deque<Unstored> unstored = new ArrayDeque<>();

    private volatile MeterSession currentSession;
    private volatile boolean stopped;
    private MeterState state = MeterState.PENDING;
    private int failedAttemptsInCycle;
    private int consecutiveFailures;
    private Instant lastSuccess;
    private Instant lastAttempt;
    private Instant nextPoll;
    private String lastError;
    private MeterReadout lastReadout;
    private long unstoredDropped;
    private String storageError;

    /** Null for meters that are not DLMS/COSEM, or when no meter-state store is available. */
    private final CosemReads cosem;

    MeterPoller(Meter meter, Outbox outbox, Clock clock, Listener listener) {
        this(meter, outbox, null, null, clock, listener);
    }

    /**
     * With a {@link MeterStateStore} and a policy, a {@link CosemMeter} also gets its clock checked, its load
     * profile caught up and its daily values queued on every poll.
     */
    MeterPoller(Meter meter, Outbox outbox, MeterStateStore stateStore, CosemPolicy policy, Clock clock,
            Listener listener) {
        this.meter = meter;
        this.outbox = outbox;
        this.clock = clock;
        this.listener = listener;
        this.cosem = meter instanceof CosemMeter && stateStore != null && policy != null
                ? new CosemReads(meter.id(), stateStore, policy, clock, listener::daily,
                        listener::catchUpProgress)
                : null;
    }

    Meter meter() {
        return meter;
    }

    /**
     * One scheduled attempt. Returns the delay until the next attempt: the poll interval after a success or
     * after giving up, the backoff while retries remain.
     */
    Duration attempt() {
        if (stopped) {
            return meter.pollPolicy().interval();
        }
        portLock.lock();
        try {
            return afterAttempt(readOnce(true));
        } finally {
            portLock.unlock();
        }
    }

    /**
     * An on-demand read, outside the schedule and without retries (the technician is waiting). Waits at most
     * {@code maxWait} for a scheduled read in progress to finish.
     */
    MeterReadout readNow(Duration maxWait) throws MeterException {
        boolean locked;
        try {
            locked = portLock.tryLock(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeterException(Reason.CANCELLED, "interrupted while waiting for meter " + meter.id());
        }
        if (!locked) {
            throw new MeterException(Reason.LINK_UNAVAILABLE, "meter " + meter.id()
                    + " is busy with a scheduled read for more than " + maxWait.toSeconds() + " s; try again");
        }
        try {
            Outcome outcome = readOnce(false); // no profile catch-up: the technician is waiting
            recordOutcome(outcome);
            if (outcome.failure != null) {
                throw outcome.failure;
            }
            return outcome.readout;
        } finally {
            portLock.unlock();
        }
    }

    private record Outcome(MeterReadout readout, MeterException failure) {
    }

    private Outcome readOnce(boolean catchUp) {
        Instant started = clock.instant();
        synchronized (this) {
            lastAttempt = started;
        }
        try (MeterSession session = meter.open()) {
            currentSession = session;
            if (stopped) {
                throw new MeterException(Reason.CANCELLED, "metering is stopping");
            }
            MeterReadout readout = session.readRegisters();
            if (cosem != null && session instanceof CosemSession cosemSession) {
                CosemReads.ClockCheck clockCheck = cosem.checkClock(cosemSession);
                readout = CosemReads.flagged(readout, clockCheck);
                // captures up to the registers' time are queued first, so a meter's readings reach the
                // head-end in the order the meter took them; registers read are queued even if catch-up fails
                MeterException catchUpFailure = null;
                if (catchUp) {
                    try {
                        cosem.catchUp(cosemSession, clockCheck, readout, () -> stopped);
                    } catch (MeterException e) {
                        catchUpFailure = e;
                    }
                }
                store(MessageKind.READING, Retention.ROUTINE, UplinkMessages.readings(readout.readings()));
                if (catchUpFailure != null) {
                    throw catchUpFailure;
                }
            } else {
                store(MessageKind.READING, Retention.ROUTINE, UplinkMessages.readings(readout.readings()));
            }
            return new Outcome(readout, null);
        } catch (MeterException e) {
            return new Outcome(null, e);
        } catch (RuntimeException e) {
            // a driver bug must not kill the schedule; report it like any other failure
            return new Outcome(null, new MeterException(Reason.MALFORMED,
                    "reading meter " + meter.id() + " failed unexpectedly: " + e, e));
        } finally {
            currentSession = null;
        }
    }

    private Duration afterAttempt(Outcome outcome) {
        recordOutcome(outcome);
        var policy = meter.pollPolicy();
        Duration next;
        synchronized (this) {
            if (outcome.failure == null || !outcome.failure.reason().isTransient()
                    || failedAttemptsInCycle > policy.retries()) {
                failedAttemptsInCycle = 0;
                next = policy.interval();
            } else {
                next = policy.backoffBefore(failedAttemptsInCycle);
            }
            nextPoll = clock.instant().plus(next);
        }
        return next;
    }

    private void recordOutcome(Outcome outcome) {
        if (outcome.failure == null) {
            MeterState before;
            synchronized (this) {
                before = state;
                state = MeterState.ONLINE;
                lastSuccess = outcome.readout.readAt();
                lastReadout = outcome.readout;
                lastError = null;
                consecutiveFailures = 0;
                failedAttemptsInCycle = 0;
            }
            if (before == MeterState.UNREACHABLE) {
                storeEvent(MeterEvent.Type.METER_RECOVERED, "meter answers again");
            }
            listener.readout(outcome.readout);
            return;
        }
        MeterException failure = outcome.failure;
        if (failure.reason() == Reason.CANCELLED) {
            return;
        }
        MeterState before;
        MeterState after;
        synchronized (this) {
            before = state;
            consecutiveFailures++;
            failedAttemptsInCycle++;
            lastError = failure.getMessage();
            if (failure.reason() == Reason.CONFIGURATION) {
                after = MeterState.MISCONFIGURED;
            } else if (failure.reason().isTransient() && failedAttemptsInCycle <= meter.pollPolicy().retries()) {
                after = before == MeterState.UNREACHABLE ? MeterState.UNREACHABLE : MeterState.RETRYING;
            } else {
                after = MeterState.UNREACHABLE;
            }
            state = after;
        }
        if (after == MeterState.UNREACHABLE && before != MeterState.UNREACHABLE) {
            storeEvent(MeterEvent.Type.METER_UNREACHABLE, failure.getMessage());
        }
        listener.failure(meter.id(), failure, after);
    }

    private void storeEvent(MeterEvent.Type type, String detail) {
        store(MessageKind.EVENT, Retention.ALARM,
                UplinkMessages.event(new MeterEvent(meter.id(), type, clock.instant(), detail)));
    }

    /** Persist before reporting; when the outbox refuses, keep the message and try again next time. */
    private synchronized void store(MessageKind kind, Retention retention, String payload) {
        unstored.addLast(new Unstored(kind, retention, payload));
        while (!unstored.isEmpty()) {
            Unstored next = unstored.peekFirst();
            try {
                outbox.append(next.kind, meter.id(), next.retention, next.payload);
                unstored.removeFirst();
            } catch (OutboxException e) {
                storageError = unstored.size() + " message(s) of meter " + meter.id()
                        + " are held in memory because the outbox refused them: " + e.getMessage();
                while (unstored.size() > MAX_UNSTORED) {
                    unstored.removeFirst();
                    unstoredDropped++;
                }
                return;
            }
        }
        storageError = null;
    }

    synchronized int unstoredCount() {
        return unstored.size();
    }

    synchronized MeterStatus status() {
        String link = meter.link() == null ? "" : meter.link().toString();
        String error = lastError != null ? lastError : storageError;
        String cosemProblem = cosem == null ? null : cosem.problem();
        if (error == null) {
            error = cosemProblem;
        }
        if (unstoredDropped > 0) {
            error = (error == null ? "" : error + "; ") + unstoredDropped
                    + " message(s) were lost because the outbox refused them for too long";
        }
        return new MeterStatus(meter.id(), meter.protocol(), link, state, lastSuccess, lastAttempt, nextPoll,
                consecutiveFailures, error, cosem == null ? null : cosem.progress());
    }

    synchronized Optional<MeterReadout> lastReadout() {
        return Optional.ofNullable(lastReadout);
    }

    /** Stops scheduling and cuts a read in progress short by closing its session. */
    void stop() {
        stopped = true;
        MeterSession session = currentSession;
        if (session != null) {
            session.close();
        }
    }
}
