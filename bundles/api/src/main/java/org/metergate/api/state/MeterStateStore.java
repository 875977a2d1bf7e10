// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.state;

import java.util.List;
import java.util.Map;

import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxMessage;

/**
 * Small named values per meter (e.g. the time of the last load-profile capture already queued) stored next to
 * the outbox. Published by the same service object as {@link org.metergate.api.outbox.Outbox}: a cursor and the
 * messages up to that cursor are committed in one transaction, so after a crash or power cut the gateway resumes
 * exactly where the queued data ends, with neither gaps nor duplicates. Implementations must be thread-safe.
 */
public interface MeterStateStore {

    /** Longest key accepted, in characters. */
    int MAX_KEY_LENGTH = 64;

    /** Longest value accepted, in characters. */
    int MAX_VALUE_LENGTH = 4096;

    /** Every stored value of this meter by key; empty when there is none. */
    Map<String, String> state(String meterId) throws OutboxException;

    /**
     * Appends {@code messages} (in this order, all about {@code meterId}) to the outbox and sets the given state
     * values of that meter, atomically: when this returns, all of it is stored; when it throws, none of it is.
     * The outbox's limits and drop policy apply as for single appends. A value of {@code null} is not allowed;
     * keys and values are bounded by {@link #MAX_KEY_LENGTH} and {@link #MAX_VALUE_LENGTH}.
     *
     * @param messages may be empty (then only the state changes)
     * @return the stored messages, in order
     * @throws OutboxException as {@link org.metergate.api.outbox.Outbox#append}; nothing was stored
     */
    List<OutboxMessage> appendWithState(String meterId, List<PendingMessage> messages, Map<String, String> state)
            throws OutboxException;
}
