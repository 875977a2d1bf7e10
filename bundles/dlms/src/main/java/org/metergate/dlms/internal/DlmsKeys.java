// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import org.metergate.api.meter.MeterException;

/**
 * Where the driver gets a meter's client keys (HLS5-GMAC: global authentication key and global unicast encryption
 * key, 16 bytes each). Kept out of ConfigAdmin so keys never appear in configuration files or dumps: the security
 * bundle holds them ({@link ServiceDlmsKeys}).
 */
interface DlmsKeys {

    /** Keys of one client; callers must not log them. */
    record ClientKeys(byte[] authenticationKey, byte[] encryptionKey) {
        @Override
        public String toString() {
            return "ClientKeys[hidden]";
        }
    }

    /**
     * @throws MeterException with reason CONFIGURATION when the keys are missing, unreadable or malformed; the
     *                        message says what to enter and how, never the key values
     */
    ClientKeys keysFor(String meterId) throws MeterException;
}
