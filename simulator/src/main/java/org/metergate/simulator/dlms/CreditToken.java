// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

/**
 * A credit token that passed verification: what the meter applies.
 *
 * @param tokenId unique token id, remembered by the meter to reject replays
 * @param amountMinor credit in minor currency units (cents), positive
 * @param description short human-readable text stored in the token gateway's description attribute
 */
public record CreditToken(String tokenId, long amountMinor, String description) {
    public CreditToken {
        if (tokenId == null || tokenId.isBlank()) {
            throw new IllegalArgumentException("token id must not be empty");
        }
        if (amountMinor <= 0) {
            throw new IllegalArgumentException("token amount must be positive, got " + amountMinor);
        }
    }
}
