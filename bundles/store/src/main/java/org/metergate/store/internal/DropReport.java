// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.time.Instant;
import java.util.List;

/**
 * The drop report still waiting in the outbox. When more routine messages are dropped before it was
 * delivered, it is replaced by one report covering both (naming the one it supersedes), so a long outage
 * leaves one report rather than a growing pile of undroppable alarms.
 */
record DropReport(long sequence, String msgId, long payloadBytes, Summary summary) {

    /** What was dropped: how many and which sequence/time range. */
    record Summary(long dropped, long firstSequence, long lastSequence, Instant from, Instant to) {

        static Summary of(List<CapacityPlanner.Candidate> drops) {
            CapacityPlanner.Candidate first = drops.get(0);
            CapacityPlanner.Candidate last = drops.get(drops.size() - 1);
            return new Summary(drops.size(), first.sequence(), last.sequence(), first.createdAt(), last.createdAt());
        }

        /** This earlier summary extended by a later one. */
        Summary followedBy(Summary later) {
            return new Summary(dropped + later.dropped, firstSequence, later.lastSequence, from, later.to);
        }
    }
}
