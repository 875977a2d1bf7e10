// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import org.openmuc.jdlms.AttributeAccessMode;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.CosemMethod;
import org.openmuc.jdlms.IllegalMethodAccessException;
import org.openmuc.jdlms.MethodResultCode;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.datatypes.DataObject.Type;

/**
 * Credit, IC 112 version 0: token credit 0-0:19.10.0.255 and emergency credit 0-0:19.10.1.255. Attributes
 * 2 current credit amount, 3 type (0 token, 2 emergency), 4 priority, 5 warning threshold, 6 limit, 8 status
 * (0 enabled, 1 selectable, 2 selected, 3 in use, 4 exhausted), 9 preset amount; method 3 invoke_credit, accepted
 * for the emergency credit while it is selectable.
 */
@CosemClass(id = 112, version = 0)
public final class CreditObject extends CosemInterfaceObject {
    static final String TOKEN_CREDIT_OBIS = "0-0:19.10.0.255";
    static final String EMERGENCY_CREDIT_OBIS = "0-0:19.10.1.255";
    private static final int TYPE_TOKEN = 0;
    private static final int TYPE_EMERGENCY = 2;

    @CosemAttribute(id = 2, type = Type.DOUBLE_LONG, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject currentCreditAmount;
    @CosemAttribute(id = 3, type = Type.ENUMERATE, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject type;
    @CosemAttribute(id = 4, type = Type.UNSIGNED, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject priority;
    @CosemAttribute(id = 5, type = Type.DOUBLE_LONG, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject warningThreshold;
    @CosemAttribute(id = 6, type = Type.DOUBLE_LONG, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject limit;
    @CosemAttribute(id = 8, type = Type.ENUMERATE, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject status;
    @CosemAttribute(id = 9, type = Type.DOUBLE_LONG, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject presetCreditAmount;

    private final transient MeterFirmware meter;
    private final transient boolean emergency;

    private CreditObject(String obis, MeterFirmware meter, boolean emergency) {
        super(Obis.code(obis), AccessGuard.MANAGEMENT_ONLY);
        this.meter = meter;
        this.emergency = emergency;
        this.type = DataObject.newEnumerateData(emergency ? TYPE_EMERGENCY : TYPE_TOKEN);
        this.priority = DataObject.newUInteger8Data((short) (emergency ? 2 : 1));
        this.limit = DataObject.newInteger32Data(0);
        this.presetCreditAmount = DataObject.newInteger32Data(
                emergency ? AccountObject.clampToInt(meter.config().emergencyCreditMinor()) : 0);
    }

    static CreditObject tokenCredit(MeterFirmware meter) {
        return new CreditObject(TOKEN_CREDIT_OBIS, meter, false);
    }

    static CreditObject emergencyCredit(MeterFirmware meter) {
        return new CreditObject(EMERGENCY_CREDIT_OBIS, meter, true);
    }

    public DataObject getCurrentCreditAmount() {
        long amount = emergency ? meter.emergencyCreditMinor() : meter.tokenCreditMinor();
        return DataObject.newInteger32Data(AccountObject.clampToInt(amount));
    }

    public DataObject getWarningThreshold() {
        return DataObject.newInteger32Data(AccountObject.clampToInt(meter.lowCreditThresholdMinor()));
    }

    public DataObject getStatus() {
        if (!emergency) {
            return DataObject.newEnumerateData(meter.tokenCreditMinor() > 0 ? MeterFirmware.CREDIT_IN_USE
                    : MeterFirmware.CREDIT_EXHAUSTED);
        }
        return DataObject.newEnumerateData(meter.emergencyCreditStatus());
    }

    @CosemMethod(id = 3)
    public void invokeCredit(DataObject creditStatus) throws IllegalMethodAccessException {
        if (!emergency || !meter.invokeEmergencyCredit()) {
            throw new IllegalMethodAccessException(MethodResultCode.TEMPORARY_FAILURE);
        }
    }
}
