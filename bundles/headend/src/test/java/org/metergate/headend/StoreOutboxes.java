// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Clock;

import org.metergate.api.outbox.Outbox;

/**
 * The store bundle's outboxes for the drain tests. They are internal (package-private) to that bundle, so
 * they are reached reflectively here; a public test fixture in the store would make this unnecessary.
 */
final class StoreOutboxes {

    private static final String PKG = "org.metergate.store.internal.";

    private StoreOutboxes() {
    }

    static Outbox memory() throws Exception {
        Class<?> type = Class.forName(PKG + "MemoryOutbox");
        Constructor<?> c = type.getDeclaredConstructor(Class.forName(PKG + "OutboxLimits"), Clock.class);
        c.setAccessible(true);
        return (Outbox) c.newInstance(defaultLimits(), Clock.systemUTC());
    }

    static Outbox sqlite(Path file) throws Exception {
        Class<?> settingsType = Class.forName(PKG + "SqliteOutbox$Settings");
        Method defaults = settingsType.getDeclaredMethod("defaults", Path.class);
        defaults.setAccessible(true);
        Method open = Class.forName(PKG + "SqliteOutbox").getDeclaredMethod("open", settingsType, Clock.class);
        open.setAccessible(true);
        return (Outbox) open.invoke(null, defaults.invoke(null, file), Clock.systemUTC());
    }

    private static Object defaultLimits() throws Exception {
        Method m = Class.forName(PKG + "OutboxLimits").getDeclaredMethod("defaults");
        m.setAccessible(true);
        return m.invoke(null);
    }
}
