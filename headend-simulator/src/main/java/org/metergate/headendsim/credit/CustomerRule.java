// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import java.util.List;

/**
 * What one customer asked for about one meter.
 *
 * @param customer            the customer's id (for the notices)
 * @param gateway             the gateway the meter is on, or null for whichever reports it
 * @param meter               the gateway's meter id, as readings and receipts name it
 * @param tokenMeter          how tokens name the meter (its serial or system title); the meter id if null
 * @param currency            ISO 4217 code of the balance and the top-ups
 * @param notifyBelowMinor    low-balance notification levels in minor units, highest first (may be empty)
 * @param rechargeBelowMinor  auto-recharge level (minor units), or null for no auto-recharge
 * @param rechargeAmountMinor amount of each automatic top-up (minor units), null when there is none
 * @param channel             the channel name automatic top-ups carry
 */
public record CustomerRule(String customer, String gateway, String meter, String tokenMeter, String currency,
        List<Long> notifyBelowMinor, Long rechargeBelowMinor, Long rechargeAmountMinor, String channel) {

    public CustomerRule {
        notifyBelowMinor = notifyBelowMinor.stream().sorted((a, b) -> Long.compare(b, a)).distinct().toList();
        if ((rechargeBelowMinor == null) != (rechargeAmountMinor == null)) {
            throw new IllegalArgumentException("customer " + customer + ": auto-recharge needs both a level and an"
                    + " amount");
        }
        if (tokenMeter == null) {
            tokenMeter = meter;
        }
    }

    public boolean autoRecharge() {
        return rechargeBelowMinor != null;
    }

    /** Whether a message from {@code gatewayId} about {@code meterId} concerns this rule. */
    boolean covers(String gatewayId, String meterId) {
        return meter.equals(meterId) && (gateway == null || gateway.equals(gatewayId));
    }
}
