// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.link;

/** Character parity on a serial line. */
public enum Parity {
    NONE, EVEN, ODD
}
