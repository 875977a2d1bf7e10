// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.security;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Secret keys of the meters this gateway reads (for DLMS HLS5-GMAC: the global authentication key and the global
 * unicast encryption key of our client), held encrypted at rest by the security bundle. Keys never travel through
 * configuration files; callers must not log or print them.
 */
public interface MeterKeys {

    /** DLMS global authentication key (GAK). */
    String AUTHENTICATION = "authentication";

    /** DLMS global unicast encryption key (GUEK). */
    String ENCRYPTION = "encryption";

    /**
     * The stored key, or empty when none was entered for that meter and name.
     *
     * @throws GeneralSecurityException when a stored key exists but cannot be decrypted (the message says what to
     *                                  re-enter, never the key)
     * @throws IOException              when the key file cannot be read
     */
    Optional<byte[]> key(String meterId, String keyName) throws IOException, GeneralSecurityException;

    /**
     * Stores or replaces a key at commissioning; 16 bytes (security suites 0/1) or 32 (suite 2).
     *
     * @throws IllegalArgumentException when the meter id, key name or key length is not acceptable
     */
    void put(String meterId, String keyName, byte[] key) throws IOException, GeneralSecurityException;
}
