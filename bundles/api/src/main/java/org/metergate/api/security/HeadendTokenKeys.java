// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.security;

import java.security.interfaces.ECPublicKey;
import java.util.Map;

/**
 * The head-end's credit-token verification keys (ES256, P-256) held by the security bundle, by JWS {@code kid}.
 * Operators add and remove them on the gateway; readers ask for the current set when they verify a token and may
 * cache it until {@link #version()} changes.
 */
public interface HeadendTokenKeys {

    /** The current keys, kid to public key; an unmodifiable snapshot. */
    Map<String, ECPublicKey> keys();

    /** Grows by at least one on every change of {@link #keys()}; equal versions mean equal key sets. */
    long version();
}
