// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.metergate.security.internal.DeviceKeystore;

/**
 * Opens the gateway's device identity without OSGi: the same keystore the security bundle publishes as
 * {@code DeviceIdentity}, {@code DeviceServerTls} and {@code DeviceCommissioning} (configuration PID
 * {@code org.metergate.security}), with the key pair created on first open.
 *
 * <p>For embedding the implementation outside OSGi (tests, simulators); not an OSGi API. The bundle does not
 * export this package; inside OSGi use those services.
 */
public final class DeviceIdentities {

    private DeviceIdentities() {
    }

    /**
     * The identity of gateway {@code gatewayId} kept in {@code directory} ({@code device.p12} and its password
     * file, owner-only): created with a new EC P-256 key pair and its self-signed certificate when the directory
     * holds none, otherwise loaded as it was left.
     *
     * @throws IllegalArgumentException when the gateway id is not 1 to 64 of {@code [A-Za-z0-9_-]}
     * @throws GeneralSecurityException when the files exist but do not belong together or to this gateway id
     * @throws IOException              when the directory or its files cannot be created or read
     */
    public static EmbeddedIdentity open(Path directory, String gatewayId) throws IOException,
            GeneralSecurityException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(gatewayId, "gatewayId");
        return new EmbeddedIdentity(DeviceKeystore.open(directory, gatewayId, new BouncyCastleProvider(),
                Clock.systemUTC(), new SecureRandom()));
    }
}
