// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.jrxtx;

/**
 * Implemented by every {@code org.openmuc.jrxtx.SerialPort} this bundle opens. A driver whose library only
 * reports "timeout" uses it to tell a silent meter (nothing received) from an answer that broke off.
 */
public interface PortTraffic {

    /** Bytes received since the port was opened. */
    long bytesReceived();
}
