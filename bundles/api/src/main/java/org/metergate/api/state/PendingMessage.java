// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.state;

import java.util.Objects;

import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Retention;

/** An uplink message not yet in the outbox: what {@link MeterStateStore#appendWithState} stores. */
public record PendingMessage(MessageKind kind, Retention retention, String payload) {

    public PendingMessage {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(payload, "payload");
    }
}
