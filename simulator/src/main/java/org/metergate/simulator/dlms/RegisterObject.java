// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.util.function.LongSupplier;

import org.openmuc.jdlms.AttributeAccessMode;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.datatypes.DataObject.Type;

/** Register, IC 3 version 0: a live value with scaler and unit (value x 10^scaler unit). */
@CosemClass(id = 3, version = 0)
public final class RegisterObject extends CosemInterfaceObject {
    /** DLMS unit enumeration values used here. */
    static final int UNIT_WATT = 27;
    static final int UNIT_WATT_HOUR = 30;
    static final int UNIT_AMPERE = 33;
    static final int UNIT_VOLT = 35;
    static final int UNIT_HERTZ = 44;

    @CosemAttribute(id = 2, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject value;
    @CosemAttribute(id = 3, type = Type.STRUCTURE, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject scalerUnit;

    private final transient LongSupplier source;

    RegisterObject(String obis, int scaler, int unit, LongSupplier source) {
        super(Obis.code(obis), AccessGuard.PUBLIC_READ);
        this.source = source;
        this.scalerUnit = DataObject.newStructureData(DataObject.newInteger8Data((byte) scaler),
                DataObject.newEnumerateData(unit));
    }

    public DataObject getValue() {
        return DataObject.newUInteger32Data(source.getAsLong());
    }
}
