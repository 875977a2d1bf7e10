// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import org.openmuc.jdlms.ObisCode;

/** OBIS codes written as in the standards ({@code 1-0:1.8.0.255}); jDLMS wants {@code 1-0:1.8.0*255}. */
final class Obis {
    private Obis() {
    }

    static ObisCode code(String obis) {
        return new ObisCode(obis.replaceFirst("\\.(\\d{1,3})$", "*$1"));
    }
}
