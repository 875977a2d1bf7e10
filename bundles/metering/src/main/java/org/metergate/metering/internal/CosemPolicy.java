// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What metering does beyond registers for DLMS/COSEM meters: the clock check, load-profile catch-up and daily
 * values. Checked as a whole, so a technician sees every wrong setting at once.
 */
record CosemPolicy(Duration clockDriftThreshold, Duration maxCatchUp, Duration chunk, ZoneId dailyZone) {

    CosemPolicy {
        Objects.requireNonNull(clockDriftThreshold, "clockDriftThreshold");
        Objects.requireNonNull(maxCatchUp, "maxCatchUp");
        Objects.requireNonNull(chunk, "chunk");
        Objects.requireNonNull(dailyZone, "dailyZone");
    }

    static CosemPolicy defaults(ZoneId zone) {
        return new CosemPolicy(Duration.ofSeconds(30), Duration.ofDays(7), Duration.ofDays(1), zone);
    }

    /**
     * @throws IllegalArgumentException listing every invalid key with its allowed range and the file to fix
     */
    static CosemPolicy from(MeteringConfig config) {
        List<String> problems = new ArrayList<>();
        int threshold = config.clockDriftThresholdSeconds();
        if (threshold < 1 || threshold > 86_400) {
            problems.add("clockDriftThresholdSeconds is " + threshold + "; it must be 1..86400 (typical 30)");
        }
        int days = config.maxCatchUpDays();
        if (days < 1 || days > 366) {
            problems.add("maxCatchUpDays is " + days + "; it must be 1..366 (typical 7)");
        }
        int hours = config.catchUpChunkHours();
        if (hours < 1 || hours > 168) {
            problems.add("catchUpChunkHours is " + hours + "; it must be 1..168 (typical 24)");
        }
        ZoneId zone = ZoneId.systemDefault();
        String zoneText = config.dailyZone() == null ? "" : config.dailyZone().strip();
        if (!zoneText.isEmpty()) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                problems.add("dailyZone '" + zoneText + "' is not a time zone; use a region such as Africa/Nairobi,"
                        + " UTC or an offset such as +03:00, or leave it empty for the gateway's zone");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("metering settings (conf/" + MeteringComponent.PID + ".cfg) are invalid: "
                    + String.join("; ", problems));
        }
        return new CosemPolicy(Duration.ofSeconds(threshold), Duration.ofDays(days), Duration.ofHours(hours), zone);
    }
}
