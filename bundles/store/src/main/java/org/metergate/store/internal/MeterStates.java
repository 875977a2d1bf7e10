// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import java.util.Map;
import java.util.TreeMap;

import org.metergate.api.state.MeterStateStore;

/** Checks state updates the same way for every implementation, before anything is written. */
final class MeterStates {

    private MeterStates() {
    }

    /** A sorted copy of {@code state}; throws {@link IllegalArgumentException} naming the first bad entry. */
    static Map<String, String> checked(Map<String, String> state) {
        Map<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : state.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key == null || key.isEmpty() || key.length() > MeterStateStore.MAX_KEY_LENGTH) {
                throw new IllegalArgumentException("meter state key '" + key + "' must be 1.."
                        + MeterStateStore.MAX_KEY_LENGTH + " characters");
            }
            if (value == null || value.length() > MeterStateStore.MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException("meter state value of '" + key + "' must be present and at most "
                        + MeterStateStore.MAX_VALUE_LENGTH + " characters");
            }
            copy.put(key, value);
        }
        return copy;
    }
}
