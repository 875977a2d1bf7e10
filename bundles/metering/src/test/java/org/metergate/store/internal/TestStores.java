// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.nio.file.Path;
import java.time.Clock;

import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;

/**
 * Test access to the durable store without OSGi (this class sits in the store's package on the test classpath
 * only). The returned object is also a {@link org.metergate.api.state.MeterStateStore} and {@link AutoCloseable}.
 */
public final class TestStores {

    private TestStores() {
    }

    public static Outbox sqlite(Path file) throws OutboxException {
        return SqliteOutbox.open(SqliteOutbox.Settings.defaults(file), Clock.systemUTC());
    }
}
