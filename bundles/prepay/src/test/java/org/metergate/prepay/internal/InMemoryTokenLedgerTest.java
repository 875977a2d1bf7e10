// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import org.metergate.api.ledger.TokenLedger;

class InMemoryTokenLedgerTest extends TokenLedgerContractTest {

    @Override
    protected TokenLedger newLedger() {
        return new InMemoryTokenLedger();
    }
}
