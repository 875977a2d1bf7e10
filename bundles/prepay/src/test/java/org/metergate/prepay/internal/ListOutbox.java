// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.api.outbox.Retention;

/** An outbox that keeps everything in a list, for asserting what would go to the head-end. */
final class ListOutbox implements Outbox {

    private final List<OutboxMessage> messages = new ArrayList<>();

    @Override
    public synchronized OutboxMessage append(MessageKind kind, String meterId, Retention retention, String payload) {
        OutboxMessage m = new OutboxMessage(messages.size() + 1, "m" + (messages.size() + 1), kind, meterId,
                retention, Instant.now(), payload);
        messages.add(m);
        return m;
    }

    @Override
    public synchronized List<OutboxMessage> oldest(Set<MessageKind> kinds, int max) {
        return messages.stream().filter(m -> kinds.contains(m.kind())).limit(max).toList();
    }

    @Override
    public void acknowledge(Collection<String> msgIds) {
    }

    @Override
    public OutboxStats stats() {
        throw new UnsupportedOperationException();
    }

    synchronized List<OutboxMessage> all() {
        return new ArrayList<>(messages);
    }
}
