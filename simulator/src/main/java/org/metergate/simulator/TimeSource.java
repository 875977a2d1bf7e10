// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.io.InterruptedIOException;
import java.util.concurrent.locks.LockSupport;

/** Monotonic time and waiting, injectable so wire timing can be tested without waiting. */
public interface TimeSource {

    long nanoTime();

    /** Waits until {@link #nanoTime()} reaches the deadline. */
    void parkUntil(long deadlineNanos) throws InterruptedIOException;

    /** The real thing: System.nanoTime and LockSupport.parkNanos. */
    TimeSource SYSTEM = new TimeSource() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void parkUntil(long deadlineNanos) throws InterruptedIOException {
            long remaining;
            while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(remaining);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("meter stopped while waiting");
                }
            }
        }
    };
}
