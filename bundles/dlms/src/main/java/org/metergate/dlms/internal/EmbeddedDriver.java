// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;

import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.security.MeterKeys;

/**
 * The one way from {@code org.metergate.dlms.embedded.DlmsDrivers} into this package; use that class, not this
 * one. Public only because Java has no package-to-package access; the bundle exports neither package.
 */
public final class EmbeddedDriver {

    private EmbeddedDriver() {
    }

    /**
     * A driver configured from {@code values} (keys and types of the factory configuration
     * {@code org.metergate.dlms.meter}; missing keys take their defaults), as ConfigAdmin would configure it.
     *
     * @throws IllegalArgumentException for an unknown key, a value of the wrong type or settings that cannot work
     */
    public static CosemMeter create(Map<String, Object> values, MeterKeys keys, Path dataDir, Clock clock) {
        DlmsMeterConfig config = config(values);
        try {
            DlmsSettings.from(config);
        } catch (DlmsSettings.InvalidSettingsException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        DlmsMeter driver = new DlmsMeter(clock, dataDir, keys);
        driver.configure(config, config.meterId());
        return driver;
    }

    private static DlmsMeterConfig config(Map<String, Object> values) {
        Map<String, Method> keys = new java.util.HashMap<>();
        for (Method m : DlmsMeterConfig.class.getDeclaredMethods()) {
            keys.put(m.getName(), m);
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Method m = keys.get(e.getKey());
            if (m == null) {
                throw new IllegalArgumentException("'" + e.getKey() + "' is not a setting of a DLMS meter; known: "
                        + new TreeSet<>(keys.keySet()));
            }
            Class<?> type = m.getReturnType() == int.class ? Integer.class : m.getReturnType();
            if (!type.isInstance(e.getValue())) {
                throw new IllegalArgumentException("setting " + e.getKey() + " must be " + m.getReturnType()
                        .getSimpleName() + ", got " + (e.getValue() == null ? "null" : e.getValue().getClass()
                        .getSimpleName() + " " + (e.getValue() instanceof Object[] a ? Arrays.toString(a)
                        : e.getValue())));
            }
        }
        return (DlmsMeterConfig) Proxy.newProxyInstance(DlmsMeterConfig.class.getClassLoader(),
                new Class<?>[] {DlmsMeterConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return DlmsMeterConfig.class;
                    }
                    if (values.containsKey(method.getName())) {
                        Object v = values.get(method.getName());
                        return v instanceof String[] a ? a.clone() : v;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "DlmsMeterConfig" + values
                                : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : proxy == args[0];
                    }
                    return method.getDefaultValue();
                });
    }
}
