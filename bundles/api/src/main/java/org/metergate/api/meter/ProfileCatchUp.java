// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * A DLMS meter's load-profile catch-up in progress: the captures of the period from {@code from} (the last capture
 * already queued, or the start of a meter's first read-back) up to and including {@code to} (the meter's time when
 * the catch-up began) are being read, {@code capturesFetched} of them are queued
 * for the head-end so far, and the meter's profile has been read up to {@code fetchedUpTo} (equal to {@code from}
 * before the first request answers). {@code capturesExpected} is the number of captures the period should hold by
 * the profile's capture period, re-estimated after every request as the captures fetched plus those expected in
 * the rest; 0 when the meter does not say its capture period. {@code startedAt} is the gateway's time at the start.
 */
public record ProfileCatchUp(Instant from, Instant to, Instant fetchedUpTo, int capturesFetched,
        int capturesExpected, Instant startedAt) {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    public ProfileCatchUp {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(fetchedUpTo, "fetchedUpTo");
        Objects.requireNonNull(startedAt, "startedAt");
        if (capturesFetched < 0 || capturesExpected < 0) {
            throw new IllegalArgumentException("capture counts cannot be negative: fetched " + capturesFetched
                    + ", expected " + capturesExpected);
        }
    }

    /** Whether the expected number of captures is known (the meter gave its capture period). */
    public boolean expectationKnown() {
        return capturesExpected > 0;
    }

    /**
     * In plain words for status pages: "96 of 288 captures (2026-12-01 00:00 to 2026-12-04 00:00 UTC)", or
     * without a known capture period "96 captures, read up to 2026-12-02 00:00 (2026-12-01 00:00 to 2026-12-04
     * 00:00 UTC)".
     */
    public String inWords() {
        String count = expectationKnown()
                ? capturesFetched + " of " + capturesExpected + (capturesExpected == 1 ? " capture" : " captures")
                : capturesFetched + (capturesFetched == 1 ? " capture" : " captures") + ", read up to "
                        + MINUTES.format(fetchedUpTo);
        return count + " (" + MINUTES.format(from) + " to " + MINUTES.format(to) + " UTC)";
    }
}
