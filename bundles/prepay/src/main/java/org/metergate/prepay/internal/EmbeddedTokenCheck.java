// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.metergate.prepay.embedded.TokenVerifier;

/**
 * The one way from {@code org.metergate.prepay.embedded.TokenVerifier} into this package; use that class, not this
 * one. Public only because Java has no package-to-package access; the bundle exports neither package.
 */
public final class EmbeddedTokenCheck {

    private final TokenChecker checker;

    private EmbeddedTokenCheck(TokenChecker checker) {
        this.checker = checker;
    }

    /**
     * The gateway's token check with the configuration {@code values} (keys and types of PID
     * {@code org.metergate.prepay}; missing keys take their defaults).
     *
     * @throws IllegalArgumentException for an unknown key, a value of the wrong type or a configuration that
     *         cannot work (the component would not start with it either)
     */
    public static EmbeddedTokenCheck create(Map<String, Object> values, Predicate<String> knownMeter, Clock clock) {
        return new EmbeddedTokenCheck(new TokenChecker(PrepaySettings.from(config(values)), knownMeter, clock));
    }

    public TokenVerifier.Accepted verify(String compact) throws TokenVerifier.Refused {
        try {
            VerifiedToken t = checker.verify(compact);
            return new TokenVerifier.Accepted(t.tokenId(), t.meterId(), t.kind(), t.amountMinor(), t.currency(),
                    t.issuedAt(), t.expiresAt(), t.meterPayload());
        } catch (TokenRejection e) {
            throw new TokenVerifier.Refused(e.reason().code(), e.getMessage());
        }
    }

    private static PrepayConfig config(Map<String, Object> values) {
        Map<String, Method> keys = new HashMap<>();
        for (Method m : PrepayConfig.class.getDeclaredMethods()) {
            keys.put(m.getName(), m);
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Method m = keys.get(e.getKey());
            if (m == null) {
                throw new IllegalArgumentException("'" + e.getKey() + "' is not a setting of org.metergate.prepay;"
                        + " known: " + new TreeSet<>(keys.keySet()));
            }
            Class<?> type = m.getReturnType() == int.class ? Integer.class
                    : m.getReturnType() == long.class ? Long.class : m.getReturnType();
            if (!type.isInstance(e.getValue())) {
                throw new IllegalArgumentException("setting " + e.getKey() + " must be " + m.getReturnType()
                        .getSimpleName() + ", got " + (e.getValue() == null ? "null" : e.getValue().getClass()
                        .getSimpleName() + " " + (e.getValue() instanceof Object[] a ? Arrays.toString(a)
                        : e.getValue())));
            }
        }
        return (PrepayConfig) Proxy.newProxyInstance(PrepayConfig.class.getClassLoader(),
                new Class<?>[] {PrepayConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return PrepayConfig.class;
                    }
                    if (values.containsKey(method.getName())) {
                        Object v = values.get(method.getName());
                        return v instanceof String[] a ? a.clone() : v;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        return method.getName().equals("toString") ? "PrepayConfig" + values
                                : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : proxy == args[0];
                    }
                    return method.getDefaultValue();
                });
    }
}
