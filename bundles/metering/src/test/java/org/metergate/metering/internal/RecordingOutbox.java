// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.api.outbox.Retention;

/** Keeps appended messages in a list; can be told to refuse appends like a full disk. */
final class RecordingOutbox implements Outbox {

    final List<OutboxMessage> messages = new ArrayList<>();
    volatile boolean refuse;

    @Override
    public synchronized OutboxMessage append(MessageKind kind, String meterId, Retention retention, String payload)
            throws OutboxException {
        if (refuse) {
            throw new OutboxException(OutboxException.Reason.DISK_FULL, "disk full");
        }
        OutboxMessage m = new OutboxMessage(messages.size() + 1, UUID.randomUUID().toString(), kind, meterId,
                retention, Instant.now(), payload);
        messages.add(m);
        return m;
    }

    @Override
    public synchronized List<OutboxMessage> oldest(Set<MessageKind> kinds, int max) {
        return messages.stream().filter(m -> kinds.contains(m.kind())).limit(max).toList();
    }

    @Override
    public synchronized void acknowledge(Collection<String> msgIds) {
        messages.removeIf(m -> msgIds.contains(m.msgId()));
    }

    @Override
    public synchronized OutboxStats stats() {
        return new OutboxStats(messages.size(), 0, null, 0, null);
    }

    synchronized List<OutboxMessage> ofKind(MessageKind kind) {
        return messages.stream().filter(m -> m.kind() == kind).toList();
    }
}
