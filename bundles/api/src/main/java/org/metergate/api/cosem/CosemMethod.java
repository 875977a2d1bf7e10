// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.cosem;

import java.util.Objects;

import org.metergate.api.meter.ObisCode;

/** One method of a COSEM object: interface class, logical name (OBIS) and method index (from 1). */
public record CosemMethod(int classId, ObisCode obis, int methodId) {

    public CosemMethod {
        checkClassId(classId);
        Objects.requireNonNull(obis, "obis");
        if (methodId < 1 || methodId > 127) {
            throw new IllegalArgumentException("method index " + methodId + " is outside 1..127");
        }
    }

    /** {@code of(70, "0-0:96.3.10.255", 1)} is remote_disconnect. */
    public static CosemMethod of(int classId, String obis, int methodId) {
        return new CosemMethod(classId, ObisCode.parse(obis), methodId);
    }

    static void checkClassId(int classId) {
        if (classId < 0 || classId > 0xFFFF) {
            throw new IllegalArgumentException("interface class " + classId + " is outside 0..65535");
        }
    }

    @Override
    public String toString() {
        return "IC " + classId + " " + obis + " method " + methodId;
    }
}
