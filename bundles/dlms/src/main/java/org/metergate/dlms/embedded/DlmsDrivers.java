// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.embedded;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.discovery.MeterProbe;
import org.metergate.api.security.MeterKeys;
import org.metergate.dlms.internal.DlmsProbe;
import org.metergate.dlms.internal.EmbeddedDriver;

/**
 * Makes the DLMS/COSEM driver without OSGi, the same class the bundle publishes as a {@code CosemMeter} per factory
 * configuration {@code org.metergate.dlms.meter}, configured as ConfigAdmin would configure it.
 *
 * <p>For embedding the implementation outside OSGi (tests, simulators); not an OSGi API. The bundle does not
 * export this package; inside OSGi configure a meter in {@code conf/} and use its {@code CosemMeter} service.
 */
public final class DlmsDrivers {

    private DlmsDrivers() {
    }

    /**
     * A driver for meter {@code meterId} behind TCP port {@code port} of 127.0.0.1 (the DLMS wrapper, or HDLC with
     * {@code tcpFraming=HDLC}) with its two keys, invocation counters kept under {@code dataDir}; response timeout
     * 3 s, other settings at their defaults.
     */
    public static CosemMeter tcp(String meterId, int port, byte[] authenticationKey, byte[] encryptionKey,
            Path dataDir) {
        return tcp(meterId, port, authenticationKey, encryptionKey, dataDir, Map.of());
    }

    /**
     * As {@link #tcp(String, int, byte[], byte[], Path)}, with further settings by their configuration key
     * ({@code tcpFraming}, {@code responseTimeoutMs}, {@code retries}, ...) overriding the defaults.
     *
     * @throws IllegalArgumentException for an unknown key, a value of the wrong type or settings that cannot work
     */
    public static CosemMeter tcp(String meterId, int port, byte[] authenticationKey, byte[] encryptionKey,
            Path dataDir, Map<String, Object> settings) {
        Map<String, Object> values = new HashMap<>();
        values.put("meterId", meterId);
        values.put("link", "tcp://127.0.0.1:" + port);
        values.put("responseTimeoutMs", 3000);
        values.putAll(settings);
        return EmbeddedDriver.create(values, fixedKeys(meterId, authenticationKey, encryptionKey),
                Objects.requireNonNull(dataDir, "dataDir"), Clock.systemUTC());
    }

    /**
     * The discovery probe the bundle publishes as a {@link MeterProbe} service: an association of the public
     * client that reads the meter's logical device name, serial number and invocation counter, and proposes its
     * configuration.
     */
    public static MeterProbe probe() {
        return new DlmsProbe();
    }

    /** The two keys of one meter, as the security bundle's {@link MeterKeys} service would give them. */
    private static MeterKeys fixedKeys(String meterId, byte[] authenticationKey, byte[] encryptionKey) {
        Map<String, byte[]> keys = Map.of(MeterKeys.AUTHENTICATION, authenticationKey.clone(), MeterKeys.ENCRYPTION,
                encryptionKey.clone());
        return new MeterKeys() {
            @Override
            public Optional<byte[]> key(String id, String keyName) {
                return id.equals(meterId) ? Optional.ofNullable(keys.get(keyName)).map(byte[]::clone)
                        : Optional.empty();
            }

            @Override
            public void put(String id, String keyName, byte[] key) {
                throw new UnsupportedOperationException("the keys of an embedded driver are fixed when it is made");
            }
        };
    }
}
