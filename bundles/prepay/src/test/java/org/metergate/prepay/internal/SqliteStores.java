// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import org.osgi.service.log.Logger;

/**
 * Opens the store bundle's component (SQLite outbox and token ledger in one file, an internal class) the way
 * SCR would, so tests can stop and start the gateway over the same database.
 */
final class SqliteStores {

    private static final String COMPONENT = "org.metergate.store.internal.OutboxComponent";
    private static final String CONFIG = "org.metergate.store.internal.StoreConfig";

    private SqliteStores() {
    }

    /** An {@code Outbox} + {@code TokenLedger} on {@code dir/metergate.db}. */
    static Object open(Path dir) throws Exception {
        Class<?> componentClass = Class.forName(COMPONENT);
        Class<?> configClass = Class.forName(CONFIG);
        Object config = Proxy.newProxyInstance(configClass.getClassLoader(), new Class<?>[] {configClass},
                (proxy, method, args) -> method.getName().equals("annotationType") ? configClass
                        : method.getDefaultValue());
        Logger quiet = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? Boolean.FALSE
                        : method.getReturnType() == String.class ? "test" : null);
        Constructor<?> constructor = componentClass.getDeclaredConstructor(configClass, UnaryOperator.class,
                Logger.class);
        constructor.setAccessible(true);
        UnaryOperator<String> properties = name -> dir.toString();
        return constructor.newInstance(config, properties, quiet);
    }

    /** Closes the database as a deactivation would. */
    static void close(Object store) throws Exception {
        Method deactivate = store.getClass().getDeclaredMethod("deactivate");
        deactivate.setAccessible(true);
        deactivate.invoke(store);
    }
}
