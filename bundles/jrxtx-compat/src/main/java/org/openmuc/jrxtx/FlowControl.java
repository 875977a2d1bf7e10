// SPDX-License-Identifier: GPL-3.0-or-later
package org.openmuc.jrxtx;

/** Flow control. Metergate links run without flow control; only NONE is accepted. */
public enum FlowControl {
    NONE,
    RTS_CTS,
    XON_XOFF
}
