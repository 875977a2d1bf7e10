// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.cosem;

import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterSession;

/**
 * An open DLMS/COSEM association with one meter. Every call is bounded by the meter's response timeout.
 * An error result from the meter throws {@link CosemAccessException} (the association stays usable); a link,
 * timeout or security failure throws {@link MeterException} and ends the session. Not thread-safe.
 */
public interface CosemSession extends MeterSession {

    /** GET one attribute. */
    CosemData get(CosemAttribute attribute) throws MeterException;

    /** GET one attribute with selective access (profile buffers). */
    CosemData get(CosemAttribute attribute, SelectiveAccess access) throws MeterException;

    /** SET one attribute. */
    void set(CosemAttribute attribute, CosemData value) throws MeterException;

    /**
     * ACTION: invokes a method. Methods without a parameter take {@link CosemData#noParameter()}.
     *
     * @return the method's return data, {@link CosemData.NullData} when it returns none
     */
    CosemData action(CosemMethod method, CosemData parameter) throws MeterException;
}
