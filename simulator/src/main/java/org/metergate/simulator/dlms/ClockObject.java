// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAccessMode;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.IllegalAttributeAccessException;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.datatypes.DataObject.Type;

/** Clock, IC 8 version 0, 0-0:1.0.0.255: the meter's simulated time; the management client may set it. */
@CosemClass(id = 8, version = 0)
public final class ClockObject extends CosemInterfaceObject {
    static final String OBIS = "0-0:1.0.0.255";

    @CosemAttribute(id = 2, type = Type.OCTET_STRING, accessMode = AttributeAccessMode.READ_AND_WRITE)
    private DataObject time;
    @CosemAttribute(id = 3, type = Type.LONG_INTEGER, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject timeZone;
    @CosemAttribute(id = 4, type = Type.UNSIGNED, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject status;
    @CosemAttribute(id = 5, type = Type.OCTET_STRING, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject daylightSavingsBegin;
    @CosemAttribute(id = 6, type = Type.OCTET_STRING, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject daylightSavingsEnd;
    @CosemAttribute(id = 7, type = Type.INTEGER, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject daylightSavingsDeviation;
    @CosemAttribute(id = 8, type = Type.BOOLEAN, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject daylightSavingsEnabled;
    @CosemAttribute(id = 9, type = Type.ENUMERATE, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject clockBase;

    private final transient MeterFirmware meter;

    ClockObject(MeterFirmware meter) {
        super(Obis.code(OBIS), AccessGuard.PUBLIC_READ);
        this.meter = meter;
        // no daylight saving: the meter runs on a fixed offset
        byte[] unspecified = { (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x80, 0, (byte) 0xFF };
        this.daylightSavingsBegin = DataObject.newOctetStringData(unspecified);
        this.daylightSavingsEnd = DataObject.newOctetStringData(unspecified.clone());
        this.daylightSavingsDeviation = DataObject.newInteger8Data((byte) 0);
        this.daylightSavingsEnabled = DataObject.newBoolData(false);
        this.clockBase = DataObject.newEnumerateData(1); // internal crystal
    }

    public DataObject getTime() {
        return CosemDateTimes.octetString(meter.now(), meter.config().zone());
    }

    public void setTime(DataObject newTime) throws IllegalAttributeAccessException {
        try {
            meter.setTime(CosemDateTimes.decode(newTime, meter.config().zone()));
        } catch (IllegalArgumentException e) {
            throw new IllegalAttributeAccessException(AccessResultCode.TYPE_UNMATCHED);
        }
    }

    public DataObject getTimeZone() {
        return DataObject.newInteger16Data((short) (-meter.config().zone().getTotalSeconds() / 60));
    }

    public DataObject getStatus() {
        return DataObject.newUInteger8Data((short) 0);
    }
}
