// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.metergate.api.cosem.CosemAttribute;
import org.metergate.api.cosem.CosemData;
import org.metergate.api.cosem.CosemDateTime;
import org.metergate.api.cosem.SelectiveAccess;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.Reading;
import org.metergate.api.meter.ReadingStatus;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.GetResult;

/**
 * Reads the configured registers (IC 3) in one list GET: the clock, each value and, the first time in a session,
 * each scaler_unit. A register the meter refuses is left out (and reported as a warning); the others are kept.
 */
final class RegisterReader {

    static final int REGISTER_CLASS = 3;
    private static final int CLOCK_STATUS_INVALID = 0x01;
    private static final int CLOCK_STATUS_DOUBTFUL = 0x02;

    /** Scaler and unit of one register, as attribute 3 gives them. */
    record ScalerUnit(int scaler, String unit) {
    }

    private final DlmsSettings settings;
    private final Clock clock;
    private final Consumer<String> warnings;
    private final Map<ObisCode, ScalerUnit> scalerUnits = new HashMap<>();

    RegisterReader(DlmsSettings settings, Clock clock, Consumer<String> warnings) {
        this.settings = settings;
        this.clock = clock;
        this.warnings = warnings;
    }

    MeterReadout read(DlmsSession session, String identification) throws MeterException {
        List<CosemAttribute> asked = new ArrayList<>();
        asked.add(SelectiveAccess.CLOCK_TIME);
        for (ObisCode obis : settings.registers()) {
            asked.add(new CosemAttribute(REGISTER_CLASS, obis, 2));
            if (!scalerUnits.containsKey(obis)) {
                asked.add(new CosemAttribute(REGISTER_CLASS, obis, 3));
            }
        }
        for (ValueAttribute v : settings.values()) {
            asked.add(v.attribute());
        }
        List<AttributeAddress> addresses = new ArrayList<>(asked.size());
        for (CosemAttribute a : asked) {
            addresses.add(DlmsSession.address(a, null));
        }
        List<GetResult> results = session.getAll(addresses, "GET of " + settings.registers().size() + " registers");
        Map<CosemAttribute, CosemData> values = new HashMap<>();
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            try {
                values.put(asked.get(i), session.dataOf(results.get(i), "GET " + asked.get(i)));
            } catch (MeterException e) {
                refused.add(e.getMessage());
            }
        }
        Instant readAt = clock.instant();
        ReadingStatus status = ReadingStatus.OK;
        Optional<OffsetDateTime> meterTime = Optional.ofNullable(values.get(SelectiveAccess.CLOCK_TIME))
                .flatMap(CosemDateTime::decode);
        if (meterTime.isPresent() && !clockFlagged(values.get(SelectiveAccess.CLOCK_TIME))) {
            readAt = meterTime.get().toInstant();
        } else {
            status = ReadingStatus.CLOCK_UNCERTAIN;
        }
        List<Reading> readings = new ArrayList<>();
        for (ObisCode obis : settings.registers()) {
            CosemData value = values.get(new CosemAttribute(REGISTER_CLASS, obis, 2));
            CosemData su = values.get(new CosemAttribute(REGISTER_CLASS, obis, 3));
            if (su != null) {
                try {
                    scalerUnits.put(obis, scalerUnit(su));
                } catch (IllegalArgumentException e) {
                    refused.add("meter " + settings.meterId() + " sent an unusable scaler_unit for " + obis + ": "
                            + e.getMessage());
                    continue;
                }
            }
            if (value == null || !scalerUnits.containsKey(obis)) {
                continue;
            }
            Reading reading = toReading(settings.meterId(), obis, value, scalerUnits.get(obis), readAt, status);
            if (reading == null) {
                refused.add("meter " + settings.meterId() + " sent " + value + " for " + obis + ", not a register value");
            } else {
                readings.add(reading);
            }
        }
        for (ValueAttribute v : settings.values()) {
            CosemData value = values.get(v.attribute());
            if (value == null) {
                continue;
            }
            if (value instanceof CosemData.BooleanData b) {
                value = new CosemData.EnumData(b.value() ? 1 : 0); // relay connected = 1, as in IEC 62056-6-2
            }
            Reading reading = toReading(settings.meterId(), v.attribute().obis(), value,
                    new ScalerUnit(v.scaler(), v.unit()), readAt, status);
            if (reading == null) {
                refused.add("meter " + settings.meterId() + " sent " + value + " for " + v.attribute()
                        + ", not a number or text");
            } else {
                readings.add(reading);
            }
        }
        if (!refused.isEmpty()) {
            warnings.accept(String.join("; ", refused));
        }
        if (readings.isEmpty()) {
            throw new MeterException(Reason.REFUSED, "meter " + settings.meterId() + " gave none of the configured "
                    + "registers: " + String.join("; ", refused));
        }
        return new MeterReadout(settings.meterId(), identification, readAt, readings);
    }

    private static boolean clockFlagged(CosemData time) {
        byte[] b = ((CosemData.OctetString) time).value();
        return (b[11] & (CLOCK_STATUS_INVALID | CLOCK_STATUS_DOUBTFUL)) != 0 && (b[11] & 0xFF) != 0xFF;
    }

    /** {integer scaler, enum unit}; anything else, or a scaler or unit out of its 8-bit range, is refused. */
    static ScalerUnit scalerUnit(CosemData data) {
        if (data instanceof CosemData.Structure s && s.elements().size() == 2 && isNumber(s.get(0))
                && isNumber(s.get(1))) {
            long scaler = s.get(0).asLong();
            long unit = s.get(1).asLong();
            if (scaler >= Byte.MIN_VALUE && scaler <= Byte.MAX_VALUE && unit >= 0 && unit <= 255) {
                return new ScalerUnit((int) scaler, CosemUnits.symbol((int) unit));
            }
        }
        throw new IllegalArgumentException(String.valueOf(data));
    }

    private static boolean isNumber(CosemData data) {
        return data instanceof CosemData.IntegerData || data instanceof CosemData.EnumData;
    }

    /** Numbers become numeric readings with the register's scaler; strings become text; others null. */
    static Reading toReading(String meterId, ObisCode obis, CosemData value, ScalerUnit su, Instant at,
            ReadingStatus status) {
        if (value instanceof CosemData.IntegerData i) {
            return Reading.numeric(meterId, obis, new BigDecimal(i.bigValue()), su.scaler(), su.unit(), at, status);
        }
        if (value instanceof CosemData.EnumData e) {
            return Reading.numeric(meterId, obis, BigDecimal.valueOf(e.value()), su.scaler(), su.unit(), at, status);
        }
        if (value instanceof CosemData.FloatData f && Double.isFinite(f.value())) {
            return Reading.numeric(meterId, obis, BigDecimal.valueOf(f.value()), su.scaler(), su.unit(), at, status);
        }
        if (value instanceof CosemData.VisibleString s) {
            return Reading.text(meterId, obis, s.value(), at, status);
        }
        if (value instanceof CosemData.OctetString s) {
            return Reading.text(meterId, obis, s.toString(), at, status);
        }
        return null;
    }
}
