// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.openmuc.jdlms.AttributeAccessMode;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.CosemMethod;
import org.openmuc.jdlms.datatypes.BitString;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.datatypes.DataObject.Type;

/**
 * Token gateway, IC 115 version 0, 0-0:19.40.0.255: 2 last token, 3 token time, 4 description (array of
 * octet-strings), 5 delivery method (0 remote), 6 token status as the Blue Book structure {status code enum,
 * data bit-string}; method 1 enter(octet-string). The token is processed before the ACTION returns; attribute 6
 * then holds the outcome (3 execution OK, 4 format, 5 authentication, 6 validation incl. replay, 7 execution fail).
 */
@CosemClass(id = 115, version = 0)
public final class TokenGatewayObject extends CosemInterfaceObject {
    static final String OBIS = "0-0:19.40.0.255";
    private static final int DELIVERY_REMOTE = 0;

    @CosemAttribute(id = 2, type = Type.OCTET_STRING, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject token;
    @CosemAttribute(id = 3, type = Type.OCTET_STRING, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject tokenTime;
    @CosemAttribute(id = 4, type = Type.ARRAY, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject tokenDescription;
    @CosemAttribute(id = 5, type = Type.ENUMERATE, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject tokenDeliveryMethod;
    @CosemAttribute(id = 6, type = Type.STRUCTURE, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject tokenStatus;

    private final transient MeterFirmware meter;

    TokenGatewayObject(MeterFirmware meter) {
        super(Obis.code(OBIS), AccessGuard.MANAGEMENT_ONLY);
        this.meter = meter;
        this.tokenDeliveryMethod = DataObject.newEnumerateData(DELIVERY_REMOTE);
    }

    public DataObject getToken() {
        return DataObject.newOctetStringData(meter.lastToken());
    }

    public DataObject getTokenTime() {
        Instant time = meter.lastTokenTime();
        return time == null ? DataObject.newNullData() : CosemDateTimes.octetString(time, meter.config().zone());
    }

    public DataObject getTokenDescription() {
        String description = meter.lastTokenDescription();
        byte[] bytes = description.getBytes(StandardCharsets.UTF_8);
        return DataObject.newArrayData(List.of(DataObject.newOctetStringData(bytes)));
    }

    public DataObject getTokenStatus() {
        return DataObject.newStructureData(DataObject.newEnumerateData(meter.lastTokenStatus().code()),
                DataObject.newBitStringData(new BitString(new byte[] { 0 }, 8)));
    }

    @CosemMethod(id = 1, consumes = Type.OCTET_STRING)
    public void enter(DataObject tokenData) {
        meter.enterToken(tokenData.getValue());
    }
}
