// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

/**
 * An open conversation with one meter. Every call is bounded by the meter's configured timeouts.
 * Not thread-safe: one caller at a time, and close it when done.
 */
public interface MeterSession extends AutoCloseable {

    /** Reads the meter's registers (for IEC 62056-21 the whole data readout). */
    MeterReadout readRegisters() throws MeterException;

    @Override
    void close();
}
