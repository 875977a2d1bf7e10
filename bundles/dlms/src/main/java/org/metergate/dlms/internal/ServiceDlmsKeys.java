// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.function.Supplier;

import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;
import org.metergate.api.security.MeterKeys;

/**
 * A meter's client keys from the security bundle's {@link MeterKeys} service. The service is looked up on every
 * session, so keys entered with {@code mg:dlms-key} (or a security bundle that starts late) take effect without
 * reconfiguring the meter.
 */
final class ServiceDlmsKeys implements DlmsKeys {

    private final Supplier<MeterKeys> service;

    ServiceDlmsKeys(Supplier<MeterKeys> service) {
        this.service = service;
    }

    @Override
    public ClientKeys keysFor(String meterId) throws MeterException {
        MeterKeys keys = service.get();
        if (keys == null) {
            throw new MeterException(Reason.CONFIGURATION, "no DLMS keys for meter " + meterId + ": the security "
                    + "bundle's key store is not running - check that metergate-security is installed and the log "
                    + "for why its key store did not start");
        }
        Optional<byte[]> authentication = key(keys, meterId, MeterKeys.AUTHENTICATION);
        Optional<byte[]> encryption = key(keys, meterId, MeterKeys.ENCRYPTION);
        if (authentication.isEmpty() || encryption.isEmpty()) {
            String missing = authentication.isEmpty() && encryption.isEmpty() ? "authentication and encryption keys"
                    : authentication.isEmpty() ? "authentication key" : "encryption key";
            throw new MeterException(Reason.CONFIGURATION, "no DLMS keys for meter " + meterId + " (" + missing
                    + " missing) — enter them with mg:dlms-key " + meterId
                    + " <authentication|encryption> <32 hex digits>");
        }
        return new ClientKeys(sixteenBytes(authentication.get(), meterId, MeterKeys.AUTHENTICATION),
                sixteenBytes(encryption.get(), meterId, MeterKeys.ENCRYPTION));
    }

    private static Optional<byte[]> key(MeterKeys keys, String meterId, String name) throws MeterException {
        try {
            return keys.key(meterId, name);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new MeterException(Reason.CONFIGURATION, "cannot read the DLMS " + name + " key of meter " + meterId
                    + ": " + e.getMessage(), e);
        }
    }

    /** Security suite 0 (AES-GCM-128), the only one the driver speaks. */
    private static byte[] sixteenBytes(byte[] key, String meterId, String name) throws MeterException {
        if (key.length != 16) {
            throw new MeterException(Reason.CONFIGURATION, "the DLMS " + name + " key of meter " + meterId + " is "
                    + key.length + " bytes, but security suite 0 needs 16 (32 hex digits) - enter it again with "
                    + "mg:dlms-key " + meterId + " " + name + " <32 hex digits>");
        }
        return key;
    }
}
