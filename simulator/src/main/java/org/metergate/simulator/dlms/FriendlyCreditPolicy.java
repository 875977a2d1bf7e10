// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * When the meter must not disconnect even without credit: a daily window (e.g. 18:00-08:00, may wrap past
 * midnight) and whole days (e.g. weekends). Written as {@code "HH:mm-HH:mm"} plus a day list {@code "SAT,SUN"};
 * an empty window or day list means none.
 */
public final class FriendlyCreditPolicy {
    private final LocalTime windowStart;
    private final LocalTime windowEnd;
    private final Set<DayOfWeek> days;

    public FriendlyCreditPolicy(LocalTime windowStart, LocalTime windowEnd, Set<DayOfWeek> days) {
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.days = days.isEmpty() ? EnumSet.noneOf(DayOfWeek.class) : EnumSet.copyOf(days);
    }

    public static FriendlyCreditPolicy none() {
        return new FriendlyCreditPolicy(null, null, Set.of());
    }

    /** Parses {@code "18:00-08:00"} (or empty) and {@code "SAT,SUN"} (or empty). */
    public static FriendlyCreditPolicy parse(String window, String dayList) {
        LocalTime start = null;
        LocalTime end = null;
        if (window != null && !window.isBlank()) {
            String[] parts = window.trim().split("-");
            if (parts.length != 2) {
                throw new IllegalArgumentException("friendly window '" + window + "' must look like 18:00-08:00");
            }
            try {
                start = LocalTime.parse(parts[0].trim());
                end = LocalTime.parse(parts[1].trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("friendly window '" + window
                        + "' must look like 18:00-08:00 (24-hour HH:mm)", e);
            }
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (dayList != null && !dayList.isBlank()) {
            for (String day : dayList.split(",")) {
                days.add(dayOf(day.trim().toUpperCase(Locale.ROOT)));
            }
        }
        return new FriendlyCreditPolicy(start, end, days);
    }

    private static DayOfWeek dayOf(String text) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().startsWith(text) && text.length() >= 3) {
                return day;
            }
        }
        throw new IllegalArgumentException("friendly day '" + text + "' is not a weekday (use MON..SUN)");
    }

    public boolean isFriendly(Instant instant, ZoneOffset zone) {
        LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
        if (days.contains(local.getDayOfWeek())) {
            return true;
        }
        if (windowStart == null) {
            return false;
        }
        LocalTime time = local.toLocalTime();
        if (windowStart.isBefore(windowEnd)) {
            return !time.isBefore(windowStart) && time.isBefore(windowEnd);
        }
        return !time.isBefore(windowStart) || time.isBefore(windowEnd);
    }

    @Override
    public String toString() {
        return (windowStart == null ? "no daily window" : windowStart + "-" + windowEnd) + ", days " + days;
    }
}
