// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

/** Why a token was rejected; {@link #code()} starts the receipt's detail so the head-end can act on it. */
enum RejectReason {
    OVERSIZED("oversized"),
    MALFORMED("malformed"),
    ALGORITHM_NOT_ALLOWED("algorithm-not-allowed"),
    UNKNOWN_KEY("unknown-key"),
    BAD_SIGNATURE("bad-signature"),
    MISSING_CLAIM("missing-claim"),
    UNKNOWN_METER("unknown-meter"),
    INVALID_AMOUNT("invalid-amount"),
    AMOUNT_OVER_LIMIT("amount-over-limit"),
    WRONG_CURRENCY("wrong-currency"),
    INVALID_KIND("invalid-kind"),
    INVALID_STS("invalid-sts"),
    EXPIRED("expired"),
    NOT_YET_VALID("not-yet-valid"),
    REUSED_TOKEN_ID("reused-token-id");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    String code() {
        return code;
    }
}
