// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** Builds {@link DlmsMeterConfig} instances the way ConfigAdmin would: given key/value pairs over the defaults. */
final class TestConfigs {

    private TestConfigs() {
    }

    static DlmsMeterConfig config(Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        values.put("meterId", "m1");
        values.put("link", "tcp://127.0.0.1:4059");
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return (DlmsMeterConfig) Proxy.newProxyInstance(DlmsMeterConfig.class.getClassLoader(),
                new Class<?>[] {DlmsMeterConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return DlmsMeterConfig.class;
                    }
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    return method.getDefaultValue();
                });
    }
}
