// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Takes over a session after the client selected mode E ({@code ACK 2 Z Y}, HDLC). The meter itself
 * sends nothing in reply; the handler owns the line until it returns, after which the meter waits for a
 * new sign-on. Without a handler the meter ignores the option select (stays silent).
 */
@FunctionalInterface
public interface ModeEHandler {

    /**
     * @param meter    the meter being spoken to
     * @param baudRate the baud rate the client switched to (from Z)
     * @param in       bytes from the client; reads block without a time limit (a closed client gives -1)
     * @param out      bytes to the client, paced at {@code baudRate} when wire-speed emulation is on
     */
    void serve(SimulatedMeter meter, int baudRate, InputStream in, OutputStream out) throws IOException;
}
