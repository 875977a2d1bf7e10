// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.util.function.Supplier;

import org.openmuc.jdlms.AttributeAccessMode;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.DlmsInterceptor;
import org.openmuc.jdlms.datatypes.DataObject;

/** Data, IC 1 version 0: one live value (invocation counter, last event code, serial number...). */
@CosemClass(id = 1, version = 0)
public final class DataValueObject extends CosemInterfaceObject {

    @CosemAttribute(id = 2, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject value;

    private final transient Supplier<DataObject> source;

    DataValueObject(String obis, DlmsInterceptor guard, Supplier<DataObject> source) {
        super(Obis.code(obis), guard);
        this.source = source;
    }

    public DataObject getValue() {
        return source.get();
    }
}
