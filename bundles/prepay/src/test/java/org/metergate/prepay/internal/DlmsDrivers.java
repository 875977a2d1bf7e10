// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import java.nio.file.Path;
import java.util.Map;

import org.metergate.api.cosem.CosemMeter;
import org.metergate.simulator.dlms.DlmsMeter;

/** The real DLMS driver (bundles/dlms, through its embedding factory) for a simulated meter, with its keys. */
final class DlmsDrivers {

    private DlmsDrivers() {
    }

    static CosemMeter driver(DlmsMeter meter, String meterId, Path dataDir) {
        return org.metergate.dlms.embedded.DlmsDrivers.tcp(meterId, meter.wrapperPort(),
                meter.config().authenticationKey(), meter.config().encryptionKey(), dataDir,
                Map.of("responseTimeoutMs", 1000, "retries", 0));
    }
}
