// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.time.Clock;

import org.metergate.api.outbox.Outbox;

class MemoryMeterStateStoreContractTest extends MeterStateStoreContractTest {

    @Override
    protected Outbox create(OutboxLimits limits) {
        return new MemoryOutbox(limits, Clock.systemUTC());
    }
}
