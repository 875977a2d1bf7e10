// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.metergate.api.security.MeterKeys;

/** The security bundle's key service as tests need it: a map, nothing at rest. */
public final class InMemoryMeterKeys implements MeterKeys {

    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();

    /** Both HLS5 keys of one meter. */
    public static InMemoryMeterKeys of(String meterId, byte[] authentication, byte[] encryption) {
        InMemoryMeterKeys k = new InMemoryMeterKeys();
        k.put(meterId, AUTHENTICATION, authentication);
        k.put(meterId, ENCRYPTION, encryption);
        return k;
    }

    @Override
    public Optional<byte[]> key(String meterId, String keyName) {
        return Optional.ofNullable(keys.get(meterId + "/" + keyName)).map(byte[]::clone);
    }

    @Override
    public void put(String meterId, String keyName, byte[] key) {
        keys.put(meterId + "/" + keyName, key.clone());
    }
}
