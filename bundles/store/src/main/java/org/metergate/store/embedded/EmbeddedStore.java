// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.embedded;

import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.state.MeterStateStore;
import org.metergate.store.internal.EmbeddedParts;

/**
 * One store made by {@link Stores}: the outbox, the per-meter state committed with it and the token ledger, as
 * the store bundle publishes them as services. Close it to finish queued writes and close the database.
 *
 * <p>For embedding the implementation outside OSGi (tests, simulators); not an OSGi API.
 */
public final class EmbeddedStore implements AutoCloseable {

    private final EmbeddedParts.Parts parts;

    EmbeddedStore(EmbeddedParts.Parts parts) {
        this.parts = parts;
    }

    public Outbox outbox() {
        return parts.outbox();
    }

    public MeterStateStore meterState() {
        return parts.meterState();
    }

    public TokenLedger tokenLedger() {
        return parts.tokenLedger();
    }

    /** Finishes everything already queued, then closes; later calls on the outbox fail with CLOSED. */
    @Override
    public void close() {
        parts.closer().run();
    }
}
