// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.cosem;

import java.util.Objects;

import org.metergate.api.meter.ObisCode;

/** One attribute of a COSEM object: interface class, logical name (OBIS) and attribute index (1 = logical name). */
public record CosemAttribute(int classId, ObisCode obis, int attributeId) {

    public CosemAttribute {
        CosemMethod.checkClassId(classId);
        Objects.requireNonNull(obis, "obis");
        if (attributeId < 1 || attributeId > 127) {
            throw new IllegalArgumentException("attribute index " + attributeId + " is outside 1..127");
        }
    }

    /** {@code of(3, "1-0:1.8.0.255", 2)}. */
    public static CosemAttribute of(int classId, String obis, int attributeId) {
        return new CosemAttribute(classId, ObisCode.parse(obis), attributeId);
    }

    @Override
    public String toString() {
        return "IC " + classId + " " + obis + " attribute " + attributeId;
    }
}
