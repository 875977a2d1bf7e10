// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;

import org.metergate.api.cosem.CosemData;
import org.metergate.api.cosem.CosemDateTime;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.Reading;
import org.metergate.api.meter.ReadingStatus;
import org.openmuc.jdlms.datatypes.DataObject;
import org.openmuc.jdlms.internal.asn1.cosem.Data;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the COSEM data handling Metergate does itself, fed the way a meter's answer arrives: A-XDR bytes
 * decoded by jDLMS into a {@link DataObject}, then {@link DataConverter}, then what {@link RegisterReader}
 * makes of a register's value and scaler_unit (and the clock's date-time). Only the refusals the reader
 * handles may come out: IllegalArgumentException for types the api does not model or a scaler_unit that
 * is not one. Saved inputs: src/test/resources/org/metergate/dlms/internal/CosemDataFuzzTargetsInputs/registerValue/.
 */
class CosemDataFuzzTargets {

    private static final ObisCode ENERGY = ObisCode.parse("1-0:1.8.0.255");
    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    @FuzzTest(maxDuration = "10s")
    void registerValue(FuzzedDataProvider data) {
        CosemData scalerUnitData = decode(data.consumeBytes(data.consumeInt(0, 64)));
        CosemData value = decode(data.consumeRemainingAsBytes());
        if (value == null) {
            return;
        }
        // a visible-string with bytes outside ASCII decodes to U+FFFD and encodes as '?': stable from then on
        CosemData reencoded = DataConverter.fromDlms(DataConverter.toDlms(value));
        assertThat(DataConverter.fromDlms(DataConverter.toDlms(reencoded))).isEqualTo(reencoded);
        CosemDateTime.decode(value);

        RegisterReader.ScalerUnit su;
        try {
            su = scalerUnitData == null ? new RegisterReader.ScalerUnit(0, "") : RegisterReader.scalerUnit(scalerUnitData);
        } catch (IllegalArgumentException refusedAsTheReaderDoes) {
            return;
        }
        Reading reading = RegisterReader.toReading("d1", ENERGY, value, su, T, ReadingStatus.OK);
        if (reading != null) {
            assertThat(reading.display()).startsWith(ENERGY + " = ");
        }
    }

    /** A-XDR bytes through jDLMS and the converter; null where jDLMS or the converter refuse them. */
    private static CosemData decode(byte[] axdr) {
        DataObject object;
        try {
            Data data = new Data();
            data.decode(new ByteArrayInputStream(axdr));
            object = org.openmuc.jdlms.internal.DataConverter.convertDataToDataObject(data);
        } catch (IOException | RuntimeException e) {
            return null; // jDLMS's own decoding: its refusals reach the session as errors, not ours to judge
        } catch (OutOfMemoryError e) {
            // jDLMS 1.8.0 allocates the length an octet-string declares before reading it (known, see
            // docs/benchmarks.md#fuzzing-jazzer); the huge array is refused at once, so the heap is not exhausted
            return null;
        }
        try {
            return DataConverter.fromDlms(object);
        } catch (IllegalArgumentException unsupportedType) {
            return null;
        }
    }
}
