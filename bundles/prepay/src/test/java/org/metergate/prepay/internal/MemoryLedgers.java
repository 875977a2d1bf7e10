// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.lang.reflect.Constructor;

import org.metergate.api.ledger.TokenLedger;

/** The store bundle's in-memory token ledger (an internal class), made the way its component makes it. */
final class MemoryLedgers {

    private static final String LEDGER = "org.metergate.store.internal.MemoryTokenLedger";

    private MemoryLedgers() {
    }

    static TokenLedger create() {
        try {
            Constructor<?> constructor = Class.forName(LEDGER).getDeclaredConstructor();
            constructor.setAccessible(true);
            return (TokenLedger) constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the store bundle's " + LEDGER + " is not on the test class path", e);
        }
    }
}
