// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.cosem;

import org.metergate.api.meter.MeterException;

/**
 * The meter answered a GET, SET or ACTION with an error result. The association is still usable; the reason is
 * {@link MeterException.Reason#REFUSED}.
 */
public class CosemAccessException extends MeterException {

    private static final long serialVersionUID = 1L;

    private final AccessResult result;

    public CosemAccessException(AccessResult result, String message) {
        super(Reason.REFUSED, message);
        this.result = result;
    }

    public AccessResult result() {
        return result;
    }
}
