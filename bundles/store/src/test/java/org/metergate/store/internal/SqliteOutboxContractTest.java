// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.outbox.Outbox;

class SqliteOutboxContractTest extends OutboxContractTest {

    @TempDir
    Path dir;

    private final AtomicInteger files = new AtomicInteger();

    @Override
    protected Outbox create(OutboxLimits limits) throws Exception {
        Path file = dir.resolve("outbox-" + files.incrementAndGet() + ".db");
        return SqliteOutbox.open(new SqliteOutbox.Settings(file, limits, 64, 0), Clock.systemUTC());
    }
}
