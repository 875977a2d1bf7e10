// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;

import org.metergate.api.security.MeterKeys;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * {@link MeterKeys} on the {@link DlmsKeyStore} in the security directory (next to the device keystore). It shares
 * the identity's configuration for the directory but does not need a gateway id: meters can be commissioned before
 * the gateway is.
 */
@Component(service = MeterKeys.class, configurationPid = DeviceIdentityComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public class MeterKeysComponent implements MeterKeys {

    private final DlmsKeyStore store;
    private final Logger log;

    @Activate
    public MeterKeysComponent(BundleContext context, SecurityConfig config,
            @Reference(service = LoggerFactory.class) Logger log) throws IOException {
        this.log = log;
        Path directory = DeviceIdentityComponent.directory(context.getProperty(DeviceIdentityComponent.DATA_DIR_PROPERTY),
                config.directory());
        try {
            store = DlmsKeyStore.open(directory, new SecureRandom());
        } catch (IOException e) {
            log.error("meter key store in {} cannot be opened: {}", directory, e.getMessage());
            throw e;
        }
    }

    MeterKeysComponent(DlmsKeyStore store, Logger log) {
        this.store = store;
        this.log = log;
    }

    @Override
    public Optional<byte[]> key(String meterId, String keyName) throws IOException, GeneralSecurityException {
        return store.get(meterId, keyName);
    }

    @Override
    public void put(String meterId, String keyName, byte[] key) throws IOException, GeneralSecurityException {
        store.put(meterId, keyName, key);
        if (log != null) {
            log.info("{} key of meter {} stored", keyName, meterId); // never the key itself
        }
    }
}
