// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import org.metergate.api.ledger.TokenLedger;

class MemoryTokenLedgerContractTest extends TokenLedgerContractTest {

    @Override
    protected TokenLedger newLedger() {
        return new MemoryTokenLedger();
    }
}
