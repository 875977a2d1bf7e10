// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.cosem;

import org.metergate.api.meter.Meter;
import org.metergate.api.meter.MeterException;

/**
 * A DLMS/COSEM meter. The DLMS driver publishes each configured meter under this interface as well as
 * {@link Meter}; look it up by the {@link Meter#METER_ID} service property.
 */
public interface CosemMeter extends Meter {

    /**
     * Opens an association with the configured client (management client 1 with HLS5-GMAC for SET, ACTION and
     * prepayment objects). Close it when done.
     */
    @Override
    CosemSession open() throws MeterException;
}
