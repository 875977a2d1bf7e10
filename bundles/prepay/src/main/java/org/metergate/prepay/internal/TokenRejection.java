// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

/** A token that fails verification; the message is the receipt's detail, starting with the reason code. */
final class TokenRejection extends Exception {
    private static final long serialVersionUID = 1L;

    private final RejectReason reason;
    private final transient String tokenId;
    private final transient String meterId;

    TokenRejection(RejectReason reason, String explanation, String tokenId, String meterId) {
        super(reason.code() + ": " + explanation);
        this.reason = reason;
        this.tokenId = tokenId;
        this.meterId = meterId;
    }

    RejectReason reason() {
        return reason;
    }

    /** The token's jti when it could be read, else null. */
    String tokenId() {
        return tokenId;
    }

    /** The token's meter when it could be read, else null. */
    String meterId() {
        return meterId;
    }
}
