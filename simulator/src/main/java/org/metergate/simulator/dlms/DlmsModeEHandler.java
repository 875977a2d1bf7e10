// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

import org.metergate.simulator.ModeEHandler;
import org.metergate.simulator.SimulatedMeter;

/**
 * Lets an IEC 62056-21 meter of the simulator switch to DLMS/COSEM over HDLC (mode E): after the client's
 * {@code ACK 2 Z Y} the optical session carries one HDLC session with this DLMS meter, then returns to IEC.
 *
 * <pre>
 * iecMeter.setModeEHandler(new DlmsModeEHandler(dlmsSimulator.meters().get(0)));
 * </pre>
 */
public final class DlmsModeEHandler implements ModeEHandler {
    private final DlmsMeter dlmsMeter;

    public DlmsModeEHandler(DlmsMeter dlmsMeter) {
        this.dlmsMeter = Objects.requireNonNull(dlmsMeter);
    }

    @Override
    public void serve(SimulatedMeter meter, int baudRate, InputStream in, OutputStream out) {
        dlmsMeter.serveHdlcSession(in, out);
    }
}
