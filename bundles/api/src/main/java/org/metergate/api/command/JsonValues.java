// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.command;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks and copies a tree of JSON values (see {@link CommandRequest} for the types) into unmodifiable form. */
final class JsonValues {

    private JsonValues() {
    }

    static Map<String, Object> object(Map<?, ?> map, String path) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException(path + " has a key that is not a string: " + e.getKey());
            }
            copy.put(key, value(e.getValue(), path + "." + key));
        }
        return Collections.unmodifiableMap(copy);
    }

    static Object value(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof BigDecimal || value instanceof BigInteger || value instanceof Long
                || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return value;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(path + " is " + d + ", which JSON cannot carry");
            }
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            return object(map, path);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(value(list.get(i), path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(path + " is a " + value.getClass().getName()
                + "; use a string, number, boolean, null, List or Map (an Instant as its ISO-8601 string)");
    }
}
