// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import org.openmuc.jdlms.datatypes.CosemDateTime;
import org.openmuc.jdlms.datatypes.DataObject;

/**
 * COSEM date-time (12 octets) for the clock, profile captures and selective access. The deviation follows the
 * Blue Book: minutes from local time to UTC, so UTC = local + deviation (UTC+01:00 is -60).
 */
final class CosemDateTimes {
    static final int LENGTH = 12;
    private static final int DEVIATION_NOT_SPECIFIED = 0x8000;

    private CosemDateTimes() {
    }

    static byte[] encode(Instant instant, ZoneOffset zone) {
        LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
        int deviation = -zone.getTotalSeconds() / 60;
        return new byte[] { (byte) (local.getYear() >> 8), (byte) local.getYear(), (byte) local.getMonthValue(),
                (byte) local.getDayOfMonth(), (byte) local.getDayOfWeek().getValue(), (byte) local.getHour(),
                (byte) local.getMinute(), (byte) local.getSecond(), 0, (byte) (deviation >> 8), (byte) deviation,
                0 };
    }

    static DataObject octetString(Instant instant, ZoneOffset zone) {
        return DataObject.newOctetStringData(encode(instant, zone));
    }

    /** Decodes a date-time given as octet-string or as date-time type; unspecified deviation means meter time. */
    static Instant decode(DataObject data, ZoneOffset meterZone) {
        byte[] bytes;
        if (data.getType() == DataObject.Type.OCTET_STRING) {
            bytes = data.getValue();
        } else if (data.getType() == DataObject.Type.DATE_TIME) {
            bytes = ((CosemDateTime) data.getValue()).encode();
        } else {
            throw new IllegalArgumentException("expected a date-time (octet-string of 12 bytes), got "
                    + data.getType());
        }
        return decode(bytes, meterZone);
    }

    static Instant decode(byte[] b, ZoneOffset meterZone) {
        if (b.length != LENGTH) {
            throw new IllegalArgumentException("a COSEM date-time has 12 bytes, got " + b.length);
        }
        int year = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        int month = b[2] & 0xFF;
        int day = b[3] & 0xFF;
        int hour = b[5] & 0xFF;
        int minute = b[6] & 0xFF;
        int second = b[7] & 0xFF;
        if (year == 0xFFFF || month > 12 || day > 31 || hour > 23) {
            throw new IllegalArgumentException("date-time with wildcards or out-of-range fields cannot be used here");
        }
        minute = minute > 59 ? 0 : minute;
        second = second > 59 ? 0 : second;
        int deviation = (short) (((b[9] & 0xFF) << 8) | (b[10] & 0xFF));
        ZoneOffset zone = (deviation & 0xFFFF) == DEVIATION_NOT_SPECIFIED ? meterZone
                : ZoneOffset.ofTotalSeconds(-deviation * 60);
        return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(zone);
    }
}
