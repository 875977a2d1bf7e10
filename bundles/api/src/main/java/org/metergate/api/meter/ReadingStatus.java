// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

/** Quality of a value as the meter delivered it. Stale or invented values are never produced. */
public enum ReadingStatus {
    /** Read from the meter in this session, no flags. */
    OK,
    /** The meter itself flagged the value (error register, status bits). */
    METER_FLAGGED,
    /** The meter's clock is not trusted (drift above threshold, clock invalid bit). */
    CLOCK_UNCERTAIN
}
