// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Set;
import java.util.function.Supplier;

import org.metergate.api.discovery.MeterProposal;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Meter configurations in ConfigAdmin: the meter ids in use, and a new named factory configuration
 * ({@code <factoryPid>~<meterId>}) for an accepted proposal. The driver picks it up like a file in {@code conf/}.
 */
final class MeterConfigurations {

    private final Supplier<ConfigurationAdmin> admin;

    MeterConfigurations(Supplier<ConfigurationAdmin> admin) {
        this.admin = admin;
    }

    /** Every meterId of any configuration, whatever its driver. */
    Set<String> meterIds() throws IOException {
        Set<String> ids = new HashSet<>();
        Configuration[] all;
        try {
            all = admin().listConfigurations("(meterId=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("the meterId filter is malformed", e);
        }
        for (Configuration c : all == null ? new Configuration[0] : all) {
            Dictionary<String, Object> properties = c.getProperties();
            Object id = properties == null ? null : properties.get("meterId");
            if (id != null) {
                ids.add(id.toString());
            }
        }
        return ids;
    }

    /**
     * @return the new configuration's PID
     * @throws IllegalStateException a configuration of that name exists already, or ConfigAdmin is not running
     */
    String create(MeterProposal proposal) throws IOException {
        Configuration configuration = admin().getFactoryConfiguration(proposal.factoryPid(), proposal.meterId(), "?");
        if (configuration.getProperties() != null) {
            throw new IllegalStateException("configuration " + configuration.getPid() + " exists already");
        }
        Dictionary<String, Object> properties = new Hashtable<>(proposal.settings());
        configuration.update(properties);
        return configuration.getPid();
    }

    private ConfigurationAdmin admin() {
        ConfigurationAdmin service = admin.get();
        if (service == null) {
            throw new IllegalStateException("ConfigAdmin is not running, so no meter can be configured from here; "
                    + "put the settings shown into a file in conf/");
        }
        return service;
    }
}
