// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.serial.internal;

import java.time.Duration;

/** Durations for messages and for APIs that take int milliseconds. */
final class Durations {

    private Durations() {
    }

    /** "5 s" for whole seconds, otherwise "250 ms". */
    static String describe(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /** Milliseconds clamped to 1..Integer.MAX_VALUE: a zero here would mean "wait forever" to the OS. */
    static int positiveMillis(Duration d) {
        long ms = Math.max(1, d.toMillis());
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    static Duration requirePositive(Duration d, String what) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive, not " + d);
        }
        return d;
    }
}
