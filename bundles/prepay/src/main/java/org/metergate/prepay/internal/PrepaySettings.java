// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Checked configuration of the prepay bundle. */
record PrepaySettings(Map<String, ECPublicKey> keys, String currency, long maxAmountMinor, Duration clockSkew,
        Map<String, String> meterAliases, Duration retryInitial, Duration retryMax, Duration statusPoll,
        Duration statusPollLimit) {

    /** Longest compact token accepted; a real one is well under 1 KiB. */
    static final int MAX_TOKEN_CHARS = 4096;

    PrepaySettings {
        keys = Map.copyOf(keys);
        meterAliases = Map.copyOf(meterAliases);
        if (currency == null || !currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency '" + currency + "' is not a 3-letter ISO 4217 code such as EUR");
        }
        if (maxAmountMinor <= 0 || maxAmountMinor > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxAmountMinor " + maxAmountMinor
                    + " must be 1.." + Integer.MAX_VALUE + " (the meter's credit is a 32-bit number)");
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("clockSkewSeconds " + clockSkew.toSeconds() + " must be 0..3600");
        }
        if (retryInitial.isNegative() || retryInitial.isZero() || retryMax.compareTo(retryInitial) < 0) {
            throw new IllegalArgumentException("retry waits must be positive and retryMaxSeconds >= retryInitialSeconds");
        }
        if (statusPoll.isNegative() || statusPoll.isZero() || statusPollLimit.isNegative() || statusPollLimit.isZero()) {
            throw new IllegalArgumentException("statusPollMillis and statusPollLimitSeconds must be positive");
        }
    }

    static PrepaySettings from(PrepayConfig config) {
        Map<String, String> aliases = new LinkedHashMap<>();
        for (String entry : config.meterAliases() == null ? new String[0] : config.meterAliases()) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("meterAliases entry '" + entry
                        + "' must be serialOrSystemTitle=meterId, e.g. 10000001=m1");
            }
            aliases.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        return new PrepaySettings(HeadendKeys.parse(config.headendPublicKeys()),
                config.currency() == null ? null : config.currency().strip(), config.maxAmountMinor(),
                Duration.ofSeconds(config.clockSkewSeconds()), aliases, Duration.ofSeconds(config.retryInitialSeconds()),
                Duration.ofSeconds(config.retryMaxSeconds()), Duration.ofMillis(config.statusPollMillis()),
                Duration.ofSeconds(config.statusPollLimitSeconds()));
    }
}
