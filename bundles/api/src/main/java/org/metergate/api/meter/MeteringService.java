// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

import java.util.List;
import java.util.Optional;

/** The metering bundle's view for technicians and the head-end: meter states and on-demand reads. */
public interface MeteringService {

    List<MeterStatus> meters();

    Optional<MeterStatus> meter(String meterId);

    /** The last successful readout, never older values dressed up as new. */
    Optional<MeterReadout> lastReadout(String meterId);

    /**
     * Reads a meter now (outside its schedule), queues the readings like a scheduled read, and returns them.
     *
     * @throws MeterException when the meter is unknown or cannot be read; the message says why
     */
    MeterReadout readNow(String meterId) throws MeterException;
}
