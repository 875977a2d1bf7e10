// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.metergate.api.cosem.CosemData;
import org.metergate.api.cosem.CosemData.IntegerType;
import org.openmuc.jdlms.datatypes.BitString;
import org.openmuc.jdlms.datatypes.CosemDateFormat;
import org.openmuc.jdlms.datatypes.DataObject;

/** Converts between the api's {@link CosemData} and jDLMS's {@link DataObject}, so no jDLMS type leaks out. */
final class DataConverter {

    private DataConverter() {
    }

    /** @throws IllegalArgumentException for types the api does not model (bcd, compact-array, dont-care) */
    static CosemData fromDlms(DataObject d) {
        if (d == null) {
            return CosemData.NullData.INSTANCE;
        }
        return switch (d.getType()) {
            case NULL_DATA -> CosemData.NullData.INSTANCE;
            case BOOLEAN -> new CosemData.BooleanData(d.<Boolean>getValue());
            case INTEGER -> integer(IntegerType.INTEGER, d);
            case LONG_INTEGER -> integer(IntegerType.LONG, d);
            case DOUBLE_LONG -> integer(IntegerType.DOUBLE_LONG, d);
            case LONG64 -> integer(IntegerType.LONG64, d);
            case UNSIGNED -> integer(IntegerType.UNSIGNED, d);
            case LONG_UNSIGNED -> integer(IntegerType.LONG_UNSIGNED, d);
            case DOUBLE_LONG_UNSIGNED -> integer(IntegerType.DOUBLE_LONG_UNSIGNED, d);
            case LONG64_UNSIGNED -> integer(IntegerType.LONG64_UNSIGNED, d);
            case ENUMERATE -> new CosemData.EnumData(((Number) d.getValue()).intValue() & 0xFF);
            case FLOAT32 -> new CosemData.FloatData(false, ((Number) d.getValue()).doubleValue());
            case FLOAT64 -> new CosemData.FloatData(true, ((Number) d.getValue()).doubleValue());
            case OCTET_STRING -> new CosemData.OctetString(d.<byte[]>getValue());
            case VISIBLE_STRING -> new CosemData.VisibleString(new String(d.<byte[]>getValue(), StandardCharsets.US_ASCII));
            case UTF8_STRING -> new CosemData.VisibleString(new String(d.<byte[]>getValue(), StandardCharsets.UTF_8));
            case BIT_STRING -> {
                BitString b = d.getValue();
                yield new CosemData.BitString(b.getBitString(), b.getNumBits());
            }
            // date-time, date and time travel as their octet-string encoding
            case DATE_TIME, DATE, TIME -> new CosemData.OctetString(((CosemDateFormat) d.getValue()).encode());
            case STRUCTURE -> new CosemData.Structure(list(d));
            case ARRAY -> new CosemData.ArrayData(list(d));
            default -> throw new IllegalArgumentException("COSEM data type " + d.getType() + " is not supported");
        };
    }

    private static List<CosemData> list(DataObject d) {
        List<DataObject> elements = d.getValue();
        List<CosemData> out = new ArrayList<>(elements.size());
        for (DataObject e : elements) {
            out.add(fromDlms(e));
        }
        return out;
    }

    private static CosemData integer(IntegerType type, DataObject d) {
        return new CosemData.IntegerData(type, ((Number) d.getValue()).longValue());
    }

    static DataObject toDlms(CosemData data) {
        if (data instanceof CosemData.NullData) {
            return DataObject.newNullData();
        } else if (data instanceof CosemData.BooleanData b) {
            return DataObject.newBoolData(b.value());
        } else if (data instanceof CosemData.IntegerData i) {
            long v = i.value();
            return switch (i.type()) {
                case INTEGER -> DataObject.newInteger8Data((byte) v);
                case LONG -> DataObject.newInteger16Data((short) v);
                case DOUBLE_LONG -> DataObject.newInteger32Data((int) v);
                case LONG64 -> DataObject.newInteger64Data(v);
                case UNSIGNED -> DataObject.newUInteger8Data((short) v);
                case LONG_UNSIGNED -> DataObject.newUInteger16Data((int) v);
                case DOUBLE_LONG_UNSIGNED -> DataObject.newUInteger32Data(v);
                case LONG64_UNSIGNED -> DataObject.newUInteger64Data(v);
            };
        } else if (data instanceof CosemData.EnumData e) {
            return DataObject.newEnumerateData(e.value());
        } else if (data instanceof CosemData.FloatData f) {
            return f.doublePrecision() ? DataObject.newFloat64Data(f.value()) : DataObject.newFloat32Data((float) f.value());
        } else if (data instanceof CosemData.OctetString s) {
            return DataObject.newOctetStringData(s.value());
        } else if (data instanceof CosemData.VisibleString s) {
            return DataObject.newVisibleStringData(s.bytes());
        } else if (data instanceof CosemData.BitString b) {
            return DataObject.newBitStringData(new BitString(b.bytes(), b.length()));
        } else if (data instanceof CosemData.Structure s) {
            return DataObject.newStructureData(s.elements().stream().map(DataConverter::toDlms).toList());
        } else if (data instanceof CosemData.ArrayData a) {
            return DataObject.newArrayData(a.elements().stream().map(DataConverter::toDlms).toList());
        }
        throw new IllegalArgumentException("unknown COSEM data " + data);
    }
}
