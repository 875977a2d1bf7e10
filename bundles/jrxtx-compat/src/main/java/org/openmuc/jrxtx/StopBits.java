// SPDX-License-Identifier: GPL-3.0-or-later
package org.openmuc.jrxtx;

/** Stop bits per character. 1.5 stop bits are part of the API but not supported by Metergate links. */
public enum StopBits {
    STOPBITS_1,
    STOPBITS_1_5,
    STOPBITS_2
}
