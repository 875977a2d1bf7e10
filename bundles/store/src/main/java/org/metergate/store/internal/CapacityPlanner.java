// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxException.Reason;

/**
 * Decides what to drop so that a new message fits. Shared by every outbox implementation so they cannot
 * disagree on the policy:
 * <ul>
 * <li>a message that fits is simply added;</li>
 * <li>otherwise the oldest routine messages are dropped until the new message <em>and</em> the drop report
 * fit, and then further until a tenth of the capacity is free again, so that a long outage produces one
 * drop report per tenth of the outbox rather than one per message (the reports are alarms and are never
 * dropped themselves);</li>
 * <li>if dropping every routine message would still not make room, nothing is dropped and the append is
 * refused with {@link Reason#FULL_OF_UNDROPPABLE}.</li>
 * </ul>
 */
final class CapacityPlanner {

    /** Upper bound of a drop report's payload; the report always fits in this. */
    static final int DROP_REPORT_RESERVE_BYTES = 1024;

    /** A routine message that may be dropped. */
    record Candidate(long sequence, Instant createdAt, long payloadBytes) {
    }

    /** Oldest-first source of routine messages; returns null when there are no more. */
    interface Candidates {
        Candidate next() throws OutboxException;
    }

    /** The routine messages to drop before adding the new one; empty when it simply fits. */
    record Plan(List<Candidate> drops) {
        boolean dropsSomething() {
            return !drops.isEmpty();
        }

        long dropBytes() {
            return drops.stream().mapToLong(Candidate::payloadBytes).sum();
        }
    }

    private static final Plan NOTHING = new Plan(List.of());

    private final OutboxLimits limits;

    CapacityPlanner(OutboxLimits limits) {
        this.limits = limits;
    }

    OutboxLimits limits() {
        return limits;
    }

    /**
     * @param messages     messages stored now
     * @param bytes        payload bytes stored now
     * @param newBytes     payload bytes of the message to add
     * @param routine      the droppable messages, oldest first
     */
    Plan plan(long messages, long bytes, long newBytes, Candidates routine) throws OutboxException {
        if (newBytes + DROP_REPORT_RESERVE_BYTES > limits.maxPayloadBytes()) {
            throw new IllegalArgumentException("message of " + newBytes + " payload bytes can never fit: the outbox"
                    + " holds at most maxPayloadBytes=" + limits.maxPayloadBytes() + " bytes in total;"
                    + " split the message or raise maxPayloadBytes");
        }
        if (messages + 1 <= limits.maxMessages() && bytes + newBytes <= limits.maxPayloadBytes()) {
            return NOTHING;
        }
        long headroomMessages = limits.maxMessages() / 10;
        long headroomBytes = limits.maxPayloadBytes() / 10;
        List<Candidate> drops = new ArrayList<>();
        long m = messages;
        long b = bytes;
        while (!fitsWithReport(m, b, newBytes, headroomMessages, headroomBytes)) {
            Candidate c = routine.next();
            if (c == null) {
                break;
            }
            drops.add(c);
            m--;
            b -= c.payloadBytes();
        }
        if (!fitsWithReport(m, b, newBytes, 0, 0)) {
            throw new OutboxException(Reason.FULL_OF_UNDROPPABLE, "outbox full: " + messages + " messages, "
                    + bytes + " payload bytes stored (limits: maxMessages=" + limits.maxMessages()
                    + ", maxPayloadBytes=" + limits.maxPayloadBytes() + ") and "
                    + (drops.isEmpty() ? "none of them" : "only " + drops.size() + " of them")
                    + " may be dropped; billing values, credit receipts and alarms are never dropped."
                    + " Nothing was dropped and this message was not stored. The head-end has not acknowledged"
                    + " them: check the uplink (broker reachable, certificate valid), or raise the limits");
        }
        return new Plan(List.copyOf(drops));
    }

    private boolean fitsWithReport(long m, long b, long newBytes, long headroomMessages, long headroomBytes) {
        return m + 2 <= limits.maxMessages() - headroomMessages
                && b + newBytes + DROP_REPORT_RESERVE_BYTES <= limits.maxPayloadBytes() - headroomBytes;
    }
}
