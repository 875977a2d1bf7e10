// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import org.openmuc.jdlms.DataDirectory;
import org.openmuc.jdlms.DlmsServer;
import org.openmuc.jdlms.LogicalDevice;
import org.openmuc.jdlms.ServerBuilder;
import org.openmuc.jdlms.settings.server.ServerSettings;

/**
 * Uses jDLMS's server builder only for what it does well, turning annotated COSEM objects into a data directory,
 * so the simulator can run associations on its own sockets and streams (fault injection, HDLC lines, mode E).
 */
final class DirectoryBuilder extends ServerBuilder<DirectoryBuilder> {
    private static final int RESPONSE_TIMEOUT_MILLIS = 5_000;
    private static final int INACTIVITY_TIMEOUT_MILLIS = 300_000;

    DirectoryBuilder(LogicalDevice logicalDevice) {
        registerLogicalDevice(logicalDevice);
        setResponseTimeout(RESPONSE_TIMEOUT_MILLIS);
        setInactivityTimeout(INACTIVITY_TIMEOUT_MILLIS);
    }

    DataDirectory directory() {
        return parseLogicalDevices();
    }

    ServerSettings settings() {
        DlmsServer.TcpServerSettingsImpl settings = new DlmsServer.TcpServerSettingsImpl(0);
        setPropertiesTo(settings);
        return settings;
    }

    @Override
    public DlmsServer build() {
        throw new UnsupportedOperationException("the simulator runs its own transport; use directory()");
    }
}
