// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import java.time.Instant;

/**
 * A signed credit token as issued.
 *
 * @param id          the {@code jti}; receipts name the token by it
 * @param meter       the {@code meter} claim (the meter's serial, system title or gateway meter id)
 * @param kind        {@code credit}, {@code emergency} or {@code sts}
 * @param amountMinor minor units; null for an STS token (its amount is inside the digits)
 * @param compact     the JWS compact serialization to send
 */
public record IssuedToken(String id, String meter, String kind, Long amountMinor, String currency, String channel,
        String kid, Instant issuedAt, Instant expiresAt, String compact) {

    /** One line for people: {@code credit 20.00 EUR for meter 10000001 (channel app)}. */
    public String describe() {
        String amount = amountMinor == null ? "" : " " + Money.format(amountMinor, currency) + " " + currency;
        return kind + amount + " for meter " + meter + " (channel " + channel + ")";
    }
}
