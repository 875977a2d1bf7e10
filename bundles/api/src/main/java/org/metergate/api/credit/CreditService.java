// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.credit;

import java.util.List;

/**
 * Takes signed credit tokens from the head-end and applies each to its meter exactly once. Published by
 * the prepay bundle.
 */
public interface CreditService {

    /**
     * Verifies and records a token (JWS compact serialization) and queues it for its meter. Returns the
     * first receipt: {@code accepted}, {@code rejected} with the reason, or {@code duplicate} repeating the
     * original outcome. Later stages arrive through the outbox.
     */
    Receipt submit(String compactToken);

    /** Receipts issued so far for a token, oldest first; empty when the token is unknown. */
    List<Receipt> receipts(String tokenId);
}
