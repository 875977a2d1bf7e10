// SPDX-License-Identifier: GPL-3.0-or-later
package org.openmuc.jrxtx;

/** Character parity. MARK and SPACE are part of the API but not supported by Metergate links. */
public enum Parity {
    NONE,
    ODD,
    EVEN,
    MARK,
    SPACE
}
