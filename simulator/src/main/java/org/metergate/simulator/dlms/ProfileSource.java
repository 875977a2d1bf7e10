// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.util.List;

import org.openmuc.jdlms.datatypes.DataObject;

/** The rows behind a profile generic object, oldest first; a snapshot keeps one read consistent. */
interface ProfileSource {

    /** Capture object definitions {class id, logical name, attribute index}, one per column. */
    List<CaptureColumn> columns();

    /** Seconds between captures, 0 for asynchronous (event-driven) profiles. */
    long capturePeriodSeconds();

    /** How many entries the profile keeps at most. */
    long capacity();

    Snapshot snapshot();

    interface Snapshot {
        long size();

        /** Capture time of entry {@code index} (0-based), seconds since the epoch. */
        long epochSecond(long index);

        /** All column values of entry {@code index} (0-based). */
        List<DataObject> row(long index);
    }

    record CaptureColumn(int classId, String obis, int attributeIndex) {
        DataObject toDataObject() {
            return DataObject.newStructureData(DataObject.newUInteger16Data(classId),
                    DataObject.newOctetStringData(Obis.code(obis).bytes()),
                    DataObject.newInteger8Data((byte) attributeIndex), DataObject.newUInteger16Data(0));
        }
    }
}
