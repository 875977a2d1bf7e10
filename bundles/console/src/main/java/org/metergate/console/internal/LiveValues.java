// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.Reading;

/**
 * The numeric values of each meter's readouts over the last hour, for the meter page's plots. Kept in memory only
 * (a restart starts empty) and bounded: at most {@value #MAX_SERIES} values per meter, {@value #MAX_POINTS} points
 * per value, nothing older than {@link #WINDOW}; meters that are no longer configured are forgotten.
 */
final class LiveValues {

    static final Duration WINDOW = Duration.ofHours(1);
    static final int MAX_POINTS = 240;
    static final int MAX_SERIES = 12;

    record Point(Instant at, double value) {
    }

    /** One value of a meter over time, oldest point first. */
    record Series(ObisCode obis, String unit, List<Point> points) {

        Series {
            points = List.copyOf(points);
        }

        Point last() {
            return points.get(points.size() - 1);
        }
    }

    private static final class Ring {
        Instant lastReadAt;
        final Map<ObisCode, String> units = new LinkedHashMap<>();
        final Map<ObisCode, Deque<Point>> points = new LinkedHashMap<>();
    }

    private final Map<String, Ring> meters = new HashMap<>();

    /** Takes each configured meter's last readout once (a readout already taken is not added again). */
    void sample(MeteringService metering, Instant now) {
        List<MeterStatus> configured = metering.meters();
        for (MeterStatus meter : configured) {
            metering.lastReadout(meter.meterId()).ifPresent(readout -> record(readout, now));
        }
        retain(configured.stream().map(MeterStatus::meterId).collect(Collectors.toSet()));
    }

    synchronized void record(MeterReadout readout, Instant now) {
        Ring ring = meters.computeIfAbsent(readout.meterId(), id -> new Ring());
        if (readout.readAt().equals(ring.lastReadAt)) {
            return;
        }
        ring.lastReadAt = readout.readAt();
        for (Reading reading : readout.readings()) {
            if (!reading.isNumeric()) {
                continue;
            }
            Deque<Point> series = ring.points.get(reading.obis());
            if (series == null) {
                if (ring.points.size() >= MAX_SERIES) {
                    continue;
                }
                series = new ArrayDeque<>();
                ring.points.put(reading.obis(), series);
            }
            ring.units.put(reading.obis(), reading.unit());
            series.addLast(new Point(readout.readAt(), reading.scaledValue().doubleValue()));
            while (series.size() > MAX_POINTS) {
                series.removeFirst();
            }
        }
        prune(ring, now);
    }

    synchronized void retain(Set<String> meterIds) {
        meters.keySet().retainAll(meterIds);
    }

    /** The meter's values with their points of the last hour, in the order they first appeared. */
    synchronized List<Series> series(String meterId, Instant now) {
        Ring ring = meters.get(meterId);
        if (ring == null) {
            return List.of();
        }
        prune(ring, now);
        List<Series> all = new ArrayList<>();
        ring.points.forEach((obis, points) -> {
            if (!points.isEmpty()) {
                all.add(new Series(obis, ring.units.get(obis), new ArrayList<>(points)));
            }
        });
        return all;
    }

    private static void prune(Ring ring, Instant now) {
        Instant oldest = now.minus(WINDOW);
        for (Deque<Point> points : ring.points.values()) {
            while (!points.isEmpty() && points.peekFirst().at().isBefore(oldest)) {
                points.removeFirst();
            }
        }
    }
}
