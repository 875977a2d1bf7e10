// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.util.Hashtable;
import java.util.Map;

import org.metergate.api.security.HeadendTokenKeys;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * {@link HeadendTokenKeys} on the {@link HeadendKeyStore} in the security directory, and the
 * {@code mg:headend-key} commands that change it. Shares the identity's configuration for the directory.
 */
@Component(service = HeadendTokenKeys.class, configurationPid = DeviceIdentityComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public class HeadendKeysComponent implements HeadendTokenKeys {

    private final HeadendKeyStore store;
    private final ServiceRegistration<?> commands;

    @Activate
    public HeadendKeysComponent(BundleContext context, SecurityConfig config,
            @Reference(service = LoggerFactory.class) Logger log) throws IOException {
        Path directory = DeviceIdentityComponent.directory(context.getProperty(DeviceIdentityComponent.DATA_DIR_PROPERTY),
                config.directory());
        try {
            store = HeadendKeyStore.open(directory);
        } catch (IOException e) {
            log.error("head-end token key store in {} cannot be opened: {}", directory, e.getMessage());
            throw e;
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", "mg");
        properties.put("osgi.command.function", "headend-key");
        commands = context.registerService(Object.class, new HeadendKeyCommands(store, log::info), properties);
        log.info("{} head-end token key(s) held: {}", store.keys().size(), store.keys().keySet());
    }

    @Deactivate
    void deactivate() {
        commands.unregister();
    }

    @Override
    public Map<String, ECPublicKey> keys() {
        return store.keys();
    }

    @Override
    public long version() {
        return store.version();
    }
}
