// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.cosem;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The 12-byte COSEM date-time (Blue Book 4.1.6.1): year (2), month, day, weekday, hour, minute, second,
 * hundredths, deviation (2 bytes, signed minutes, UTC = local time + deviation) and clock status; deviation
 * 0x8000 means "not specified".
 */
public final class CosemDateTime {

    public static final int LENGTH = 12;
    private static final int DEVIATION_UNSPECIFIED = 0x8000;

    private CosemDateTime() {
    }

    /** Encodes an instant as local time at {@code offset}, with that offset's deviation. */
    public static CosemData.OctetString encode(Instant instant, ZoneOffset offset) {
        OffsetDateTime t = instant.atOffset(offset);
        int deviation = -offset.getTotalSeconds() / 60; // UTC = local + deviation
        byte[] b = new byte[LENGTH];
        b[0] = (byte) (t.getYear() >> 8);
        b[1] = (byte) t.getYear();
        b[2] = (byte) t.getMonthValue();
        b[3] = (byte) t.getDayOfMonth();
        b[4] = (byte) t.getDayOfWeek().getValue();
        b[5] = (byte) t.getHour();
        b[6] = (byte) t.getMinute();
        b[7] = (byte) t.getSecond();
        b[8] = (byte) (t.getNano() / 10_000_000);
        b[9] = (byte) (deviation >> 8);
        b[10] = (byte) deviation;
        b[11] = 0;
        return new CosemData.OctetString(b);
    }

    /** Encodes an instant in UTC (deviation 0). */
    public static CosemData.OctetString encode(Instant instant) {
        return encode(instant, ZoneOffset.UTC);
    }

    /**
     * Decodes a fully specified date-time. Empty when the value is not 12 bytes or leaves fields unspecified
     * (0xFF wildcards), which meters use for "not set"; an unspecified deviation is read as UTC.
     */
    public static Optional<OffsetDateTime> decode(byte[] b) {
        if (b == null || b.length != LENGTH) {
            return Optional.empty();
        }
        int year = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
        int month = b[2] & 0xFF;
        int day = b[3] & 0xFF;
        int hour = b[5] & 0xFF;
        int minute = b[6] & 0xFF;
        int second = b[7] & 0xFF;
        int hundredths = b[8] & 0xFF;
        if (year == 0xFFFF || month > 12 || month < 1 || day < 1 || day > 31 || hour > 23 || minute > 59
                || second > 59) {
            return Optional.empty();
        }
        int rawDeviation = ((b[9] & 0xFF) << 8) | (b[10] & 0xFF);
        int deviation = rawDeviation == DEVIATION_UNSPECIFIED ? 0 : (short) rawDeviation;
        try {
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(-deviation * 60);
            return Optional.of(OffsetDateTime.of(year, month, day, hour, minute, second,
                    hundredths > 99 ? 0 : hundredths * 10_000_000, offset));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Decodes an octet-string value; empty for anything else or an unspecified date-time. */
    public static Optional<OffsetDateTime> decode(CosemData value) {
        return value instanceof CosemData.OctetString s ? decode(s.value()) : Optional.empty();
    }
}
