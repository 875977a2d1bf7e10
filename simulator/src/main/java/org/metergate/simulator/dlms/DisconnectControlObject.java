// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAccessMode;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.CosemMethod;
import org.openmuc.jdlms.IllegalAttributeAccessException;
import org.openmuc.jdlms.IllegalMethodAccessException;
import org.openmuc.jdlms.MethodResultCode;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.datatypes.DataObject.Type;

/**
 * Disconnect control, IC 70 version 0, 0-0:96.3.10.255: 2 output state, 3 control state (0 disconnected,
 * 1 connected, 2 ready for reconnection), 4 control mode (0..6, settable); methods 1 remote_disconnect and
 * 2 remote_reconnect, refused with "temporary failure" when the control mode (or missing credit) forbids them.
 */
@CosemClass(id = 70, version = 0)
public final class DisconnectControlObject extends CosemInterfaceObject {
    static final String OBIS = "0-0:96.3.10.255";

    @CosemAttribute(id = 2, type = Type.BOOLEAN, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject outputState;
    @CosemAttribute(id = 3, type = Type.ENUMERATE, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject controlState;
    @CosemAttribute(id = 4, type = Type.ENUMERATE, accessMode = AttributeAccessMode.READ_AND_WRITE)
    private DataObject controlMode;

    private final transient MeterFirmware meter;

    DisconnectControlObject(MeterFirmware meter) {
        super(Obis.code(OBIS), AccessGuard.PUBLIC_READ);
        this.meter = meter;
    }

    public DataObject getOutputState() {
        return DataObject.newBoolData(meter.relayConnected());
    }

    public DataObject getControlState() {
        return DataObject.newEnumerateData(meter.controlState());
    }

    public DataObject getControlMode() {
        return DataObject.newEnumerateData(meter.controlMode());
    }

    public void setControlMode(DataObject mode) throws IllegalAttributeAccessException {
        if (!mode.isNumber()) {
            throw new IllegalAttributeAccessException(AccessResultCode.TYPE_UNMATCHED);
        }
        int value = ((Number) mode.getValue()).intValue();
        if (value < 0 || value > 6) {
            throw new IllegalAttributeAccessException(AccessResultCode.OTHER_REASON);
        }
        meter.setControlMode(value);
    }

    @CosemMethod(id = 1)
    public void remoteDisconnect(DataObject parameter) throws IllegalMethodAccessException {
        if (!meter.remoteDisconnect()) {
            throw new IllegalMethodAccessException(MethodResultCode.TEMPORARY_FAILURE);
        }
    }

    @CosemMethod(id = 2)
    public void remoteReconnect(DataObject parameter) throws IllegalMethodAccessException {
        if (!meter.remoteReconnect()) {
            throw new IllegalMethodAccessException(MethodResultCode.TEMPORARY_FAILURE);
        }
    }
}
