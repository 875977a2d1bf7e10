// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults one meter shows on request, switchable at runtime from tests or the CLI. Frame faults act on what the
 * meter sends: an HDLC frame, or a wrapper message over TCP.
 */
public final class DlmsFaults {
    private final AtomicInteger framesToCorrupt = new AtomicInteger();
    private final AtomicInteger framesToDrop = new AtomicInteger();
    private volatile boolean noAnswer;
    private volatile boolean refuseAssociation;
    private volatile boolean wrongKeys;
    private volatile long answerDelayNanos;
    private final Runnable keysChanged;

    DlmsFaults(Runnable keysChanged) {
        this.keysChanged = keysChanged;
    }

    /** Sends the next {@code frames} frames with a broken FCS (HDLC) or a flipped last byte (wrapper). */
    public DlmsFaults corruptNextFrames(int frames) {
        framesToCorrupt.set(Math.max(0, frames));
        return this;
    }

    /** Silently drops the next {@code frames} frames the meter would send. */
    public DlmsFaults dropNextFrames(int frames) {
        framesToDrop.set(Math.max(0, frames));
        return this;
    }

    /** While set, the meter reads requests but never answers. */
    public DlmsFaults noAnswer(boolean enabled) {
        this.noAnswer = enabled;
        return this;
    }

    /** While set, every association request is rejected (AARE rejected-permanent). */
    public DlmsFaults refuseAssociation(boolean enabled) {
        this.refuseAssociation = enabled;
        return this;
    }

    /** While set, the meter uses keys that differ from its configured ones, as if it had been re-keyed. */
    public DlmsFaults wrongKeys(boolean enabled) {
        this.wrongKeys = enabled;
        keysChanged.run();
        return this;
    }

    /**
     * Holds every frame the meter sends for {@code delay} before it goes out, as a meter with a slow reaction
     * time; the request is already processed when its answer waits. Zero (the default) answers at once.
     */
    public DlmsFaults answerDelay(Duration delay) {
        if (delay.isNegative() || delay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("answer delay must be 0..1 min, got " + delay);
        }
        this.answerDelayNanos = delay.toNanos();
        return this;
    }

    /** Clears every fault. */
    public DlmsFaults clear() {
        framesToCorrupt.set(0);
        framesToDrop.set(0);
        noAnswer = false;
        refuseAssociation = false;
        answerDelayNanos = 0;
        if (wrongKeys) {
            wrongKeys(false);
        }
        return this;
    }

    boolean takeCorruptFrame() {
        return framesToCorrupt.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    boolean takeDropFrame() {
        return framesToDrop.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    long answerDelayNanos() {
        return answerDelayNanos;
    }

    boolean noAnswer() {
        return noAnswer;
    }

    boolean refuseAssociation() {
        return refuseAssociation;
    }

    boolean wrongKeys() {
        return wrongKeys;
    }
}
