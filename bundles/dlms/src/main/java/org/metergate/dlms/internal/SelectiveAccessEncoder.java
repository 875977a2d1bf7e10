// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.util.List;

import org.metergate.api.cosem.CosemDateTime;
import org.metergate.api.cosem.SelectiveAccess;
import org.openmuc.jdlms.SelectiveAccessDescription;
import org.openmuc.jdlms.datatypes.DataObject;

/** Encodes the api's selective access as the Blue Book profile-generic access parameters (IC 7). */
final class SelectiveAccessEncoder {

    private SelectiveAccessEncoder() {
    }

    static SelectiveAccessDescription encode(SelectiveAccess access) {
        if (access instanceof SelectiveAccess.Range r) {
            // range_descriptor: {restricting_object, from_value, to_value, selected_values (empty = all columns)}
            DataObject restricting = DataObject.newStructureData(
                    DataObject.newUInteger16Data(r.restrictingObject().classId()),
                    DataObject.newOctetStringData(r.restrictingObject().obis().toBytes()),
                    DataObject.newInteger8Data((byte) r.restrictingObject().attributeId()),
                    DataObject.newUInteger16Data(0));
            DataObject parameter = DataObject.newStructureData(restricting,
                    DataObject.newOctetStringData(CosemDateTime.encode(r.from()).value()),
                    DataObject.newOctetStringData(CosemDateTime.encode(r.to()).value()),
                    DataObject.newArrayData(List.of()));
            return new SelectiveAccessDescription(1, parameter);
        }
        SelectiveAccess.Entries e = (SelectiveAccess.Entries) access;
        DataObject parameter = DataObject.newStructureData(DataObject.newUInteger32Data(e.fromEntry()),
                DataObject.newUInteger32Data(e.toEntry()), DataObject.newUInteger16Data(e.fromColumn()),
                DataObject.newUInteger16Data(e.toColumn()));
        return new SelectiveAccessDescription(2, parameter);
    }
}
