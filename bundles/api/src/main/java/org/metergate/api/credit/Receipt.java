// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.credit;

import java.time.Instant;
import java.util.Objects;

/**
 * One stage of a token's progress. {@code detail} says why for rejections and carries the meter's own
 * status for {@link ReceiptStage#METER_RESULT}; {@code balanceMinor} is set for {@link ReceiptStage#BALANCE}.
 */
public record Receipt(String tokenId, String meterId, ReceiptStage stage, String detail, Long balanceMinor,
        String currency, Instant at) {

    public Receipt {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(at, "at");
    }
}
