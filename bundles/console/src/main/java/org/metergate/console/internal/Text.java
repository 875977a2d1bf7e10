// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.metergate.api.meter.MeterState;

/** Plain-language renderings shared by the pages. */
final class Text {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Text() {
    }

    /** "2 d 3 h", "3 h 12 min", "4 min 10 s", "12 s". */
    static String duration(Duration d) {
        long seconds = Math.max(0, d.getSeconds());
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3600;
        long minutes = seconds % 3600 / 60;
        long secs = seconds % 60;
        if (days > 0) {
            return days + " d " + hours + " h";
        }
        if (hours > 0) {
            return hours + " h " + minutes + " min";
        }
        if (minutes > 0) {
            return minutes + " min " + secs + " s";
        }
        return secs + " s";
    }

    static String time(Instant instant) {
        return instant == null ? "never" : TIME.format(instant);
    }

    static String state(MeterState state) {
        switch (state) {
            case PENDING:
                return "waiting for the first read";
            case ONLINE:
                return "online";
            case RETRYING:
                return "retrying";
            case UNREACHABLE:
                return "unreachable";
            case MISCONFIGURED:
                return "misconfigured";
            default:
                return state.name().toLowerCase(Locale.ROOT);
        }
    }
}
