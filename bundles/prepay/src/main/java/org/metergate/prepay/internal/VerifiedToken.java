// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A token whose signature and claims passed. {@code meterId} is our meter's id (the claim may name it by serial
 * or system title); {@code sts} holds the 20 digits for kind {@code sts}, else null.
 */
record VerifiedToken(String tokenId, String meterId, String kind, long amountMinor, String currency, String sts,
        Instant issuedAt, Instant expiresAt, String compact) {

    static final String CREDIT = "credit";
    static final String EMERGENCY = "emergency";
    static final String STS = "sts";

    /** What the meter's token gateway gets: the STS digits unchanged, otherwise the signed token itself. */
    byte[] meterPayload() {
        return (STS.equals(kind) ? sts : compact).getBytes(StandardCharsets.US_ASCII);
    }
}
