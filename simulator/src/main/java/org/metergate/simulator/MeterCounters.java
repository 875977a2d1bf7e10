// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a meter saw, for tests to assert. Answers are counted just before their last byte is sent, so a
 * client that has received a complete message always sees the count already raised.
 */
public final class MeterCounters {

    final AtomicLong connections = new AtomicLong();
    final AtomicLong signOns = new AtomicLong();
    final AtomicLong sessionsServed = new AtomicLong();
    final AtomicLong readoutsCompleted = new AtomicLong();
    final AtomicLong programmingSessions = new AtomicLong();
    final AtomicLong programmingReads = new AtomicLong();
    final AtomicLong modeESessions = new AtomicLong();
    final AtomicLong resets = new AtomicLong();

    /** TCP connections accepted (a pty session is one connection from socat). */
    public long connections() {
        return connections.get();
    }

    /** Sign-on requests addressed to this meter, answered or not. */
    public long signOns() {
        return signOns.get();
    }

    /** Identification messages sent. */
    public long sessionsServed() {
        return sessionsServed.get();
    }

    /** Data readouts sent completely (mode A, B or C). */
    public long readoutsCompleted() {
        return readoutsCompleted.get();
    }

    public long programmingSessions() {
        return programmingSessions.get();
    }

    /** R1 register reads answered in programming mode. */
    public long programmingReads() {
        return programmingReads.get();
    }

    public long modeESessions() {
        return modeESessions.get();
    }

    /** Sessions abandoned because of garbage, a malformed message or an inter-character timeout. */
    public long resets() {
        return resets.get();
    }

    @Override
    public String toString() {
        return "connections=" + connections() + " signOns=" + signOns() + " sessionsServed=" + sessionsServed()
                + " readouts=" + readoutsCompleted() + " programmingSessions=" + programmingSessions()
                + " programmingReads=" + programmingReads() + " modeE=" + modeESessions() + " resets=" + resets();
    }
}
