// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.metergate.api.security.HeadendTokenKeys;

/**
 * The head-end keys tokens are verified with: those in {@code headendPublicKeys} plus those the security bundle
 * holds ({@link HeadendTokenKeys}). A kid defined in both with different keys is refused (logged once per change)
 * so that neither source silently wins. The union is rebuilt only when the held keys' version changes.
 */
final class HeadendKeyRing {

    private final Map<String, ECPublicKey> configured;
    private final Supplier<HeadendTokenKeys> held;
    private final PrepayLog log;

    private HeadendTokenKeys lastSource;
    private long lastVersion;
    private Map<String, ECPublicKey> merged;

    /** @param held the security bundle's keys, or null while it is absent */
    HeadendKeyRing(Map<String, ECPublicKey> configured, Supplier<HeadendTokenKeys> held, PrepayLog log) {
        this.configured = Map.copyOf(configured);
        this.held = held;
        this.log = log;
    }

    /** Only the configured keys. */
    static HeadendKeyRing configuredOnly(Map<String, ECPublicKey> configured) {
        return new HeadendKeyRing(configured, () -> null, PrepayLog.NONE);
    }

    /** The current keys by kid. */
    synchronized Map<String, ECPublicKey> keys() {
        HeadendTokenKeys source = held.get();
        long version = source == null ? 0 : source.version();
        if (merged == null || source != lastSource || version != lastVersion) {
            merged = merge(source == null ? Map.of() : source.keys());
            lastSource = source;
            lastVersion = version;
        }
        return merged;
    }

    private Map<String, ECPublicKey> merge(Map<String, ECPublicKey> fromSecurity) {
        Map<String, ECPublicKey> all = new TreeMap<>(configured);
        Set<String> conflicting = new TreeSet<>();
        fromSecurity.forEach((kid, key) -> {
            ECPublicKey other = all.putIfAbsent(kid, key);
            if (other != null && !Arrays.equals(other.getEncoded(), key.getEncoded())) {
                conflicting.add(kid);
            }
        });
        for (String kid : conflicting) {
            all.remove(kid);
            log.warn("head-end key '" + kid + "' is defined differently in headendPublicKeys"
                    + " (conf/org.metergate.prepay.cfg) and in the security bundle (mg:headend-key): tokens naming it"
                    + " are refused until one of the two is removed", null);
        }
        return Map.copyOf(all);
    }
}
