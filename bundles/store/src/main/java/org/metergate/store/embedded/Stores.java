// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.embedded;

import java.nio.file.Path;
import java.util.Objects;

import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.outbox.OutboxException;
import org.metergate.store.internal.EmbeddedParts;

/**
 * Makes the store bundle's outbox, meter state and token ledger without OSGi, the same classes its component
 * publishes: in memory, or durable in one SQLite file.
 *
 * <p>For embedding the implementation outside OSGi (tests, simulators); not an OSGi API. The bundle does not
 * export this package; inside OSGi use the {@code Outbox}, {@code MeterStateStore} and {@code TokenLedger}
 * services (configuration PID {@code org.metergate.store}).
 */
public final class Stores {

    private Stores() {
    }

    /** Outbox, meter state and ledger in memory, with the default limits; lost when closed. */
    public static EmbeddedStore memory() {
        return new EmbeddedStore(EmbeddedParts.memory());
    }

    /**
     * The durable store in {@code file} (created with its schema when new, upgraded when older) with the default
     * limits (100,000 messages, 64 MiB of payload) and group commit.
     */
    public static EmbeddedStore sqlite(Path file) throws OutboxException {
        Objects.requireNonNull(file, "file");
        return new EmbeddedStore(EmbeddedParts.sqlite(file));
    }

    /**
     * As {@link #sqlite(Path)} with other limits; beyond them routine readings are dropped, oldest first.
     *
     * @throws IllegalArgumentException when a limit is below the smallest that works (3 messages, 4096 bytes)
     */
    public static EmbeddedStore sqlite(Path file, long maxMessages, long maxPayloadBytes) throws OutboxException {
        Objects.requireNonNull(file, "file");
        return new EmbeddedStore(EmbeddedParts.sqlite(file, maxMessages, maxPayloadBytes));
    }

    /** A token ledger in memory on its own, for a test that needs no outbox. */
    public static TokenLedger memoryTokenLedger() {
        return EmbeddedParts.memoryTokenLedger();
    }
}
