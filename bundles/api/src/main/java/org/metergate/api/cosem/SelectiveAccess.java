// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.cosem;

import java.time.Instant;
import java.util.Objects;

import org.metergate.api.meter.ObisCode;

/** Which part of a profile buffer (IC 7 attribute 2) a GET returns. */
public sealed interface SelectiveAccess {

    /** The meter clock's time attribute, the usual restricting object of a range. */
    CosemAttribute CLOCK_TIME = new CosemAttribute(8, ObisCode.of(0, 0, 1, 0, 0, 255), 2);

    /**
     * Selector 1: captures whose {@code restrictingObject} column lies in [{@code from}, {@code to}], both
     * inclusive, all columns.
     */
    record Range(CosemAttribute restrictingObject, Instant from, Instant to) implements SelectiveAccess {
        public Range {
            Objects.requireNonNull(restrictingObject, "restrictingObject");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("range ends (" + to + ") before it starts (" + from + ")");
            }
        }
    }

    /**
     * Selector 2: entries {@code fromEntry..toEntry} (1-based, oldest first; {@code toEntry} 0 = up to the newest)
     * and columns {@code fromColumn..toColumn} (1-based; {@code toColumn} 0 = the last).
     */
    record Entries(long fromEntry, long toEntry, int fromColumn, int toColumn) implements SelectiveAccess {
        public Entries {
            if (fromEntry < 1 || fromEntry > 0xFFFF_FFFFL || toEntry < 0 || toEntry > 0xFFFF_FFFFL
                    || (toEntry != 0 && toEntry < fromEntry)) {
                throw new IllegalArgumentException("entries " + fromEntry + ".." + toEntry
                        + " must be 1-based with to >= from (or to = 0 for the newest)");
            }
            if (fromColumn < 1 || fromColumn > 0xFFFF || toColumn < 0 || toColumn > 0xFFFF
                    || (toColumn != 0 && toColumn < fromColumn)) {
                throw new IllegalArgumentException("columns " + fromColumn + ".." + toColumn
                        + " must be 1-based with to >= from (or to = 0 for the last)");
            }
        }
    }

    /** Captures by clock between two instants (inclusive). */
    static SelectiveAccess byClock(Instant from, Instant to) {
        return new Range(CLOCK_TIME, from, to);
    }

    /** Entries {@code from..to} (1-based; 0 = to the newest), all columns. */
    static SelectiveAccess entries(long from, long to) {
        return new Entries(from, to, 1, 0);
    }
}
