// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.util.regex.Pattern;

import org.metergate.api.cosem.CosemAttribute;
import org.metergate.api.meter.ObisCode;

/**
 * A non-register attribute read with the registers at each poll, such as the account's available credit
 * (IC 111 attribute 5) or the disconnect control's output state (IC 70 attribute 2). These classes have no
 * scaler_unit attribute, so the configuration gives them: {@code class/obis/attribute[/scaler[/unit]]}.
 */
record ValueAttribute(CosemAttribute attribute, int scaler, String unit) {

    private static final Pattern UNIT = Pattern.compile("[A-Za-z%°/0-9.]{1,16}");

    static ValueAttribute parse(String text) {
        String[] parts = text.strip().split("/");
        if (parts.length < 3 || parts.length > 5) {
            throw new IllegalArgumentException("'" + text + "' is not class/obis/attribute[/scaler[/unit]], e.g. "
                    + "111/0-0:19.0.0.255/5/-2/EUR for the available credit");
        }
        try {
            int classId = Integer.parseInt(parts[0].strip());
            ObisCode obis = ObisCode.parse(parts[1].strip());
            int attribute = Integer.parseInt(parts[2].strip());
            int scaler = parts.length > 3 ? Integer.parseInt(parts[3].strip()) : 0;
            String unit = parts.length > 4 ? parts[4].strip() : "";
            if (classId < 1 || classId > 0xFFFF || attribute < 1 || attribute > 127 || scaler < -9 || scaler > 9
                    || (!unit.isEmpty() && !UNIT.matcher(unit).matches())) {
                throw new IllegalArgumentException("class 1..65535, attribute 1..127, scaler -9..9, unit up to 16 "
                        + "letters or digits");
            }
            return new ValueAttribute(new CosemAttribute(classId, obis, attribute), scaler, unit);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getMessage() + " (expected "
                    + "class/obis/attribute[/scaler[/unit]], e.g. 70/0-0:96.3.10.255/2)", e);
        }
    }
}
