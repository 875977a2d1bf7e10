// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.nio.file.Path;
import java.time.Clock;

import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.state.MeterStateStore;

/**
 * The one way from {@code org.metergate.store.embedded.Stores} into this package; use that class, not this one.
 * Public only because Java has no package-to-package access; the bundle exports neither package.
 */
public final class EmbeddedParts {

    /** The pieces of one store; {@code closer} drains and closes it. */
    public record Parts(Outbox outbox, MeterStateStore meterState, TokenLedger tokenLedger, Runnable closer) {
    }

    private EmbeddedParts() {
    }

    /** Everything in memory with the default limits, as the component with {@code type=memory} makes it. */
    public static Parts memory() {
        MemoryOutbox outbox = new MemoryOutbox(OutboxLimits.defaults(), Clock.systemUTC());
        return new Parts(outbox, outbox, new MemoryTokenLedger(), outbox::close);
    }

    /** The durable store in {@code file} with the default settings. */
    public static Parts sqlite(Path file) throws OutboxException {
        return sqlite(SqliteOutbox.Settings.defaults(file));
    }

    /** The durable store in {@code file} with these limits and the default group commit. */
    public static Parts sqlite(Path file, long maxMessages, long maxPayloadBytes) throws OutboxException {
        SqliteOutbox.Settings defaults = SqliteOutbox.Settings.defaults(file);
        return sqlite(new SqliteOutbox.Settings(file, new OutboxLimits(maxMessages, maxPayloadBytes),
                defaults.groupCommitMaxBatch(), defaults.groupCommitMaxDelayMs()));
    }

    private static Parts sqlite(SqliteOutbox.Settings settings) throws OutboxException {
        SqliteOutbox outbox = SqliteOutbox.open(settings, Clock.systemUTC());
        return new Parts(outbox, outbox, new SqliteTokenLedger(outbox), outbox::close);
    }

    public static TokenLedger memoryTokenLedger() {
        return new MemoryTokenLedger();
    }
}
