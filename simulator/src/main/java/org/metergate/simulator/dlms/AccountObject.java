// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.nio.charset.StandardCharsets;

import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAccessMode;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.IllegalAttributeAccessException;
import org.openmuc.jdlms.datatypes.BitString;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.datatypes.DataObject.Type;

/**
 * Account, IC 111 version 0, 0-0:19.0.0.255 (the subset a prepaid meter needs): 2 account mode and status,
 * 3 current credit in use, 4 credit status bits, 5 available credit, 15 currency, 16 low credit threshold
 * (settable by the management client).
 */
@CosemClass(id = 111, version = 0)
public final class AccountObject extends CosemInterfaceObject {
    static final String OBIS = "0-0:19.0.0.255";
    private static final int PREPAYMENT_MODE = 2;
    private static final int ACCOUNT_ACTIVE = 2;
    private static final int UNIT_CURRENCY = 0; // Blue Book: currency unit enumeration, 0 = time-independent money

    @CosemAttribute(id = 2, type = Type.STRUCTURE, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject accountModeAndStatus;
    @CosemAttribute(id = 3, type = Type.UNSIGNED, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject currentCreditInUse;
    @CosemAttribute(id = 4, type = Type.BIT_STRING, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject currentCreditStatus;
    @CosemAttribute(id = 5, type = Type.DOUBLE_LONG, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject availableCredit;
    @CosemAttribute(id = 15, type = Type.STRUCTURE, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject currency;
    @CosemAttribute(id = 16, type = Type.DOUBLE_LONG, accessMode = AttributeAccessMode.READ_AND_WRITE)
    private DataObject lowCreditThreshold;

    private final transient MeterFirmware meter;

    AccountObject(MeterFirmware meter) {
        super(Obis.code(OBIS), AccessGuard.MANAGEMENT_ONLY);
        this.meter = meter;
        this.accountModeAndStatus = DataObject.newStructureData(DataObject.newEnumerateData(PREPAYMENT_MODE),
                DataObject.newEnumerateData(ACCOUNT_ACTIVE));
        DlmsMeterConfig config = meter.config();
        this.currency = DataObject.newStructureData(
                DataObject.newUtf8StringData(config.currency().getBytes(StandardCharsets.UTF_8)),
                DataObject.newInteger8Data((byte) config.currencyScale()), DataObject.newEnumerateData(UNIT_CURRENCY));
    }

    public DataObject getCurrentCreditInUse() {
        // 0 = token credit 0-0:19.10.0.255, 1 = emergency credit 0-0:19.10.1.255
        boolean emergencyInUse = meter.emergencyCreditStatus() == MeterFirmware.CREDIT_IN_USE;
        return DataObject.newUInteger8Data((short) (emergencyInUse ? 1 : 0));
    }

    public DataObject getCurrentCreditStatus() {
        return bits8(meter.creditStatusBits());
    }

    public DataObject getAvailableCredit() {
        return DataObject.newInteger32Data(clampToInt(meter.availableCreditMinor()));
    }

    public DataObject getLowCreditThreshold() {
        return DataObject.newInteger32Data(clampToInt(meter.lowCreditThresholdMinor()));
    }

    public void setLowCreditThreshold(DataObject value) throws IllegalAttributeAccessException {
        if (!value.isNumber()) {
            throw new IllegalAttributeAccessException(AccessResultCode.TYPE_UNMATCHED);
        }
        long threshold = ((Number) value.getValue()).longValue();
        if (threshold < 0) {
            throw new IllegalAttributeAccessException(AccessResultCode.OTHER_REASON);
        }
        meter.setLowCreditThresholdMinor(threshold);
    }

    /** Bit i of {@code bits} becomes bit i on the wire, which is the (7 - i)th bit of the octet. */
    static DataObject bits8(int bits) {
        int octet = 0;
        for (int i = 0; i < 8; i++) {
            if ((bits & (1 << i)) != 0) {
                octet |= 0x80 >> i;
            }
        }
        return DataObject.newBitStringData(new BitString(new byte[] { (byte) octet }, 8));
    }

    static int clampToInt(long value) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }
}
