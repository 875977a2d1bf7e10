// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAccessMode;
import org.openmuc.jdlms.CosemAttribute;
import org.openmuc.jdlms.CosemClass;
import org.openmuc.jdlms.CosemInterfaceObject;
import org.openmuc.jdlms.DlmsInterceptor;
import org.openmuc.jdlms.IllegalAttributeAccessException;
import org.openmuc.jdlms.SelectiveAccessDescription;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.datatypes.DataObject.Type;

/**
 * Profile generic, IC 7 version 1, with the selective access jDLMS leaves to the server: selector 1 (range by the
 * clock column, from and to inclusive, optional column list) and selector 2 (entry range, 1-based, to = 0 means up
 * to the newest entry, optional column range).
 */
@CosemClass(id = 7, version = 1)
public final class ProfileObject extends CosemInterfaceObject {
    private static final int SORT_FIFO = 1;

    @CosemAttribute(id = 2, type = Type.ARRAY, accessMode = AttributeAccessMode.READ_ONLY, selector = { 1, 2 })
    private DataObject buffer;
    @CosemAttribute(id = 3, type = Type.ARRAY, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject captureObjects;
    @CosemAttribute(id = 4, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject capturePeriod;
    @CosemAttribute(id = 5, type = Type.ENUMERATE, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject sortMethod;
    @CosemAttribute(id = 6, type = Type.STRUCTURE, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject sortObject;
    @CosemAttribute(id = 7, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject entriesInUse;
    @CosemAttribute(id = 8, type = Type.DOUBLE_LONG_UNSIGNED, accessMode = AttributeAccessMode.READ_ONLY)
    private DataObject profileEntries;

    private final transient ProfileSource source;
    private final transient ZoneOffset zone;

    ProfileObject(String obis, DlmsInterceptor guard, ProfileSource source, ZoneOffset zone) {
        super(Obis.code(obis), guard);
        this.source = source;
        this.zone = zone;
        List<DataObject> columns = new ArrayList<>();
        for (ProfileSource.CaptureColumn column : source.columns()) {
            columns.add(column.toDataObject());
        }
        this.captureObjects = DataObject.newArrayData(columns);
        this.capturePeriod = DataObject.newUInteger32Data(source.capturePeriodSeconds());
        this.sortMethod = DataObject.newEnumerateData(SORT_FIFO);
        this.sortObject = DataObject.newStructureData(DataObject.newUInteger16Data(0),
                DataObject.newOctetStringData(new byte[6]), DataObject.newInteger8Data((byte) 0),
                DataObject.newUInteger16Data(0));
        this.profileEntries = DataObject.newUInteger32Data(source.capacity());
    }

    public DataObject getEntriesInUse() {
        return DataObject.newUInteger32Data(source.snapshot().size());
    }

    public DataObject getBuffer(SelectiveAccessDescription access) throws IllegalAttributeAccessException {
        ProfileSource.Snapshot snapshot = source.snapshot();
        long size = snapshot.size();
        int columnCount = source.columns().size();
        long first = 0;
        long last = size - 1;
        int[] columns = allColumns(columnCount);
        if (access != null) {
            DataObject parameter = access.getAccessParameter();
            try {
                switch (access.getAccessSelector()) {
                case 1:
                    List<DataObject> range = parameter.getValue();
                    Instant from = CosemDateTimes.decode(range.get(1), zone);
                    Instant to = CosemDateTimes.decode(range.get(2), zone);
                    first = firstAtOrAfter(snapshot, from.getEpochSecond());
                    last = firstAtOrAfter(snapshot, to.getEpochSecond() + 1) - 1;
                    if (range.size() > 3) {
                        columns = selectedColumns(range.get(3));
                    }
                    break;
                case 2:
                    List<DataObject> entry = parameter.getValue();
                    long fromEntry = ((Number) entry.get(0).getValue()).longValue();
                    long toEntry = ((Number) entry.get(1).getValue()).longValue();
                    int fromColumn = ((Number) entry.get(2).getValue()).intValue();
                    int toColumn = ((Number) entry.get(3).getValue()).intValue();
                    first = Math.max(1, fromEntry) - 1;
                    last = toEntry == 0 ? size - 1 : Math.min(size, toEntry) - 1;
                    columns = columnRange(Math.max(1, fromColumn), toColumn == 0 ? columnCount : toColumn,
                            columnCount);
                    break;
                default:
                    throw new IllegalAttributeAccessException(AccessResultCode.SCOPE_OF_ACCESS_VIOLATED);
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException | ClassCastException
                    | NullPointerException e) {
                // a malformed access parameter is the client's error: say so instead of dropping the association
                throw new IllegalAttributeAccessException(AccessResultCode.TYPE_UNMATCHED);
            }
        }
        List<DataObject> rows = new ArrayList<>();
        for (long i = first; i <= last && i < size; i++) {
            List<DataObject> row = snapshot.row(i);
            List<DataObject> selected = new ArrayList<>(columns.length);
            for (int column : columns) {
                selected.add(row.get(column));
            }
            rows.add(DataObject.newStructureData(selected));
        }
        return DataObject.newArrayData(rows);
    }

    private static long firstAtOrAfter(ProfileSource.Snapshot snapshot, long epochSecond) {
        long low = 0;
        long high = snapshot.size();
        while (low < high) {
            long mid = (low + high) >>> 1;
            if (snapshot.epochSecond(mid) < epochSecond) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private int[] selectedColumns(DataObject selection) {
        List<DataObject> wanted = selection.getValue();
        if (wanted == null || wanted.isEmpty()) {
            return allColumns(source.columns().size());
        }
        List<ProfileSource.CaptureColumn> available = source.columns();
        int[] result = new int[wanted.size()];
        for (int i = 0; i < wanted.size(); i++) {
            List<DataObject> definition = wanted.get(i).getValue();
            byte[] obis = definition.get(1).getValue();
            int attribute = ((Number) definition.get(2).getValue()).intValue();
            result[i] = -1;
            for (int c = 0; c < available.size(); c++) {
                ProfileSource.CaptureColumn column = available.get(c);
                if (Arrays.equals(Obis.code(column.obis()).bytes(), obis)
                        && column.attributeIndex() == attribute) {
                    result[i] = c;
                }
            }
            if (result[i] < 0) {
                throw new IllegalArgumentException("selected value is not a capture object of this profile");
            }
        }
        return result;
    }

    private static int[] allColumns(int count) {
        return columnRange(1, count, count);
    }

    private static int[] columnRange(int from, int to, int count) {
        if (from > to || to > count) {
            throw new IllegalArgumentException("column range " + from + ".." + to + " outside 1.." + count);
        }
        int[] result = new int[to - from + 1];
        for (int i = 0; i < result.length; i++) {
            result[i] = from - 1 + i;
        }
        return result;
    }
}
