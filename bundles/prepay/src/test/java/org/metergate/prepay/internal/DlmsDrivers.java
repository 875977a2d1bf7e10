// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.security.MeterKeys;
import org.metergate.simulator.dlms.DlmsMeter;
import org.osgi.framework.BundleContext;

/**
 * Makes a real DLMS driver instance (bundles/dlms, an internal class) for a simulated meter the way SCR would:
 * activate with a data directory and a configuration, keys handed over as the security bundle's service (or, on
 * a driver that reads key files, as its key file).
 */
final class DlmsDrivers {

    private static final String DRIVER = "org.metergate.dlms.internal.DlmsMeter";
    private static final String CONFIG = "org.metergate.dlms.internal.DlmsMeterConfig";

    private DlmsDrivers() {
    }

    static CosemMeter driver(DlmsMeter meter, String meterId, Path dataDir) throws Exception {
        Class<?> driverClass = Class.forName(DRIVER);
        Class<?> configClass = Class.forName(CONFIG);
        Object driver = driverClass.getConstructor().newInstance();
        byte[] authentication = meter.config().authenticationKey();
        byte[] encryption = meter.config().encryptionKey();
        giveKeys(driverClass, driver, meterId, authentication, encryption, dataDir);

        Map<String, Object> values = new HashMap<>();
        values.put("meterId", meterId);
        values.put("link", "tcp://127.0.0.1:" + meter.wrapperPort());
        values.put("responseTimeoutMs", 1000);
        values.put("retries", 0);
        Object config = Proxy.newProxyInstance(configClass.getClassLoader(), new Class<?>[] {configClass},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return configClass;
                    }
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    return method.getDefaultValue();
                });
        BundleContext context = (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) ->
                        method.getName().equals("getProperty") ? dataDir.toString() : null);
        Method activate = driverClass.getDeclaredMethod("activate", BundleContext.class, configClass, Map.class);
        activate.setAccessible(true);
        activate.invoke(driver, context, config, Map.of("service.pid", "prepay-test." + meterId));
        return (CosemMeter) driver;
    }

    private static void giveKeys(Class<?> driverClass, Object driver, String meterId, byte[] authentication,
            byte[] encryption, Path dataDir) throws Exception {
        try {
            Field field = driverClass.getDeclaredField("meterKeys");
            field.setAccessible(true);
            Map<String, byte[]> keys = Map.of(MeterKeys.AUTHENTICATION, authentication, MeterKeys.ENCRYPTION,
                    encryption);
            field.set(driver, new MeterKeys() {
                @Override
                public Optional<byte[]> key(String id, String keyName) {
                    return id.equals(meterId) ? Optional.ofNullable(keys.get(keyName)).map(byte[]::clone)
                            : Optional.empty();
                }

                @Override
                public void put(String id, String keyName, byte[] key) {
                    throw new UnsupportedOperationException();
                }
            });
        } catch (NoSuchFieldException e) {
            // a driver that reads <data dir>/dlms-keys/<meterId>.properties
            Path dir = Files.createDirectories(dataDir.resolve("dlms-keys"));
            Path file = dir.resolve(meterId + ".properties");
            HexFormat hex = HexFormat.of();
            Files.writeString(file, "authenticationKey=" + hex.formatHex(authentication) + "\nencryptionKey="
                    + hex.formatHex(encryption) + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
