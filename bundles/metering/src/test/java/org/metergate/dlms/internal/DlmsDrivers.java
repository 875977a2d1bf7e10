// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.security.MeterKeys;

/**
 * Test access to the DLMS driver without OSGi: builds a configured driver the way ConfigAdmin would (this class
 * sits in the driver's package on the test classpath only).
 */
public final class DlmsDrivers {

    private DlmsDrivers() {
    }

    /** A driver for meter {@code meterId} on a DLMS wrapper port of 127.0.0.1, with these keys. */
    public static CosemMeter tcp(String meterId, int port, byte[] authenticationKey, byte[] encryptionKey,
            Path dataDir) {
        return tcp(meterId, port, authenticationKey, encryptionKey, dataDir, Map.of());
    }

    /**
     * As {@link #tcp(String, int, byte[], byte[], Path)}, with further configuration values by their key
     * ({@code tcpFraming}, {@code responseTimeoutMs}, {@code retries}, ...) overriding the defaults.
     */
    public static CosemMeter tcp(String meterId, int port, byte[] authenticationKey, byte[] encryptionKey,
            Path dataDir, Map<String, Object> settings) {
        Map<String, byte[]> keys = new HashMap<>();
        keys.put(MeterKeys.AUTHENTICATION, authenticationKey.clone());
        keys.put(MeterKeys.ENCRYPTION, encryptionKey.clone());
        MeterKeys meterKeys = new MeterKeys() {
            @Override
            public Optional<byte[]> key(String id, String keyName) {
                return id.equals(meterId) ? Optional.ofNullable(keys.get(keyName)).map(byte[]::clone)
                        : Optional.empty();
            }

            @Override
            public void put(String id, String keyName, byte[] key) {
                throw new UnsupportedOperationException("keys are fixed in this test");
            }
        };
        Map<String, Object> values = new HashMap<>(Map.of("meterId", meterId, "link", "tcp://127.0.0.1:" + port,
                "responseTimeoutMs", 3000));
        values.putAll(settings);
        DlmsMeterConfig config = (DlmsMeterConfig) Proxy.newProxyInstance(DlmsMeterConfig.class.getClassLoader(),
                new Class<?>[] {DlmsMeterConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return DlmsMeterConfig.class;
                    }
                    return values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                });
        DlmsMeter driver = new DlmsMeter(Clock.systemUTC(), dataDir, meterKeys);
        driver.configure(config, meterId);
        return driver;
    }
}
