// SPDX-License-Identifier: GPL-3.0-or-later
package org.openmuc.jrxtx;

/** Data bits per character. */
public enum DataBits {
    DATABITS_5(5),
    DATABITS_6(6),
    DATABITS_7(7),
    DATABITS_8(8);

    private final int count;

    DataBits(int count) {
        this.count = count;
    }

    int count() {
        return count;
    }
}
