// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

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

    /** Clears every fault. */
    public DlmsFaults clear() {
        framesToCorrupt.set(0);
        framesToDrop.set(0);
        noAnswer = false;
        refuseAssociation = false;
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
