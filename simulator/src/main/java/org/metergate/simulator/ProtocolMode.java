// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

/** IEC 62056-21 protocol modes a simulated meter can run (mode E is reached from mode C via option select). */
public enum ProtocolMode {
    /** Readout at 300 baud right after the identification; no baud switch. */
    A,
    /** Readout right after the identification, at the baud rate announced by a letter 'A'..'F'. */
    B,
    /** Option select (ACK V Z Y) by the client: readout, programming mode or mode E. */
    C
}
