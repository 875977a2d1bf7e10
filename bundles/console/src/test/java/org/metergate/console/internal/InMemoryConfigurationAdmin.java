// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A ConfigurationAdmin that keeps configurations in memory, for tests outside OSGi: named factory configurations
 * ({@code factoryPid~name}), update, and listing with a real LDAP filter. Anything else is unsupported.
 */
final class InMemoryConfigurationAdmin {

    /** A stored configuration: PID, factory PID and properties (null until the first update). */
    static final class Stored {
        final String pid;
        final String factoryPid;
        Hashtable<String, Object> properties;

        Stored(String pid, String factoryPid) {
            this.pid = pid;
            this.factoryPid = factoryPid;
        }
    }

    final Map<String, Stored> configurations = new LinkedHashMap<>();
    final ConfigurationAdmin admin = (ConfigurationAdmin) Proxy.newProxyInstance(
            ConfigurationAdmin.class.getClassLoader(), new Class<?>[] {ConfigurationAdmin.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "getFactoryConfiguration" -> {
                    if (args.length != 3) {
                        throw new UnsupportedOperationException("only named factory configurations");
                    }
                    String pid = args[0] + "~" + args[1];
                    yield configuration(configurations.computeIfAbsent(pid, p -> new Stored(p, (String) args[0])));
                }
                case "listConfigurations" -> list((String) args[0]);
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private synchronized Configuration[] list(String filter) throws Exception {
        Filter f = filter == null ? null : FrameworkUtil.createFilter(filter);
        Configuration[] matching = configurations.values().stream()
                .filter(s -> s.properties != null && (f == null || f.match(s.properties)))
                .map(this::configuration).toArray(Configuration[]::new);
        return matching.length == 0 ? null : matching;
    }

    private Configuration configuration(Stored stored) {
        return (Configuration) Proxy.newProxyInstance(Configuration.class.getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> {
                    synchronized (InMemoryConfigurationAdmin.this) {
                        return switch (method.getName()) {
                            case "getPid" -> stored.pid;
                            case "getFactoryPid" -> stored.factoryPid;
                            case "getProperties" -> stored.properties == null ? null : new Hashtable<>(stored.properties);
                            case "update" -> {
                                Hashtable<String, Object> copy = new Hashtable<>();
                                Dictionary<?, ?> given = (Dictionary<?, ?>) args[0];
                                for (var keys = given.keys(); keys.hasMoreElements();) {
                                    Object key = keys.nextElement();
                                    copy.put((String) key, given.get(key));
                                }
                                copy.put("service.pid", stored.pid);
                                copy.put("service.factoryPid", stored.factoryPid);
                                stored.properties = copy;
                                yield null;
                            }
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            case "toString" -> "configuration " + stored.pid;
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    }
                });
    }

    synchronized Stored get(String pid) {
        return configurations.get(pid);
    }
}
