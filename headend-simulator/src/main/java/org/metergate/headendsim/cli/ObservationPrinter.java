// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.cli;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.metergate.headendsim.Observation;
import org.metergate.headendsim.credit.TokenReceipt;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Turns what the head-end receives into plain lines a technician can read. */
final class ObservationPrinter {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final int MAX_RAW = 200;

    private final List<String> summaryObis;

    /** One line per reading. */
    ObservationPrinter() {
        this.summaryObis = null;
    }

    /**
     * One line per meter and readings batch (count, time span, statuses) with the latest value of each of
     * {@code keyObis} that the batch has: a load-profile catch-up of hundreds of readings stays one line.
     */
    ObservationPrinter(List<String> keyObis) {
        this.summaryObis = List.copyOf(keyObis);
    }

    /** One or more lines for {@code o} (a readings batch gives one line per reading, or per meter in summary). */
    List<String> lines(Observation o) {
        String prefix = CLOCK.format(o.arrived()) + " " + o.gateway() + " ";
        JsonObject p = o.payload();
        List<String> out = new ArrayList<>();
        if (o.rejected() != null) {
            out.add(prefix + o.topic() + " REJECTED: " + o.rejected());
            return out;
        }
        if (p == null) {
            out.add(prefix + o.topic() + " (not a JSON object): " + shorten(o.raw()));
            return out;
        }
        switch (o.topic()) {
            case "readings" -> {
                List<JsonObject> readings = o.readings();
                if (summaryObis != null) {
                    summaries(readings).forEach(line -> out.add(prefix + line));
                } else {
                    readings.forEach(r -> out.add(prefix + reading(r)));
                }
                o.dailyValues().forEach(d -> out.add(prefix + daily(d)));
                if (out.isEmpty()) {
                    out.add(prefix + "readings without a readings list: " + shorten(o.raw()));
                }
            }
            case "events" -> out.add(prefix + "event " + text(p, "type") + meter(p) + detail(p));
            case "credit/receipts" -> out.add(prefix + TokenReceipt.from(o)
                    .map(r -> "receipt token " + r.token() + meter(p) + " " + r.describe())
                    .orElse("receipt without a stage: " + shorten(o.raw())));
            case "status" -> out.add(prefix + status(p) + (o.retained() ? " (retained)" : ""));
            default -> {
                if (o.topic().startsWith("cmd/")) {
                    out.add(prefix + "command " + o.topic().substring(4) + " sent by another head-end: " + shorten(o.raw()));
                } else if (o.topic().equals("credit/tokens")) {
                    out.add(prefix + "credit token sent by another head-end (msgId " + text(p, "msgId") + ")");
                } else if (o.topic().startsWith("replies/")) {
                    out.add(prefix + "answered " + text(p, "command") + ": " + (p.has("ok") && p.get("ok").getAsBoolean()
                            ? "ok" : "failed " + (p.has("error") ? p.get("error").toString() : "")));
                } else {
                    out.add(prefix + o.topic() + " " + shorten(o.raw()));
                }
            }
        }
        return out;
    }

    private List<String> summaries(List<JsonObject> list) {
        Map<String, List<JsonObject>> byMeter = new LinkedHashMap<>();
        for (JsonObject r : list) {
            byMeter.computeIfAbsent(text(r, "meter"), m -> new ArrayList<>()).add(r);
        }
        List<String> lines = new ArrayList<>();
        byMeter.forEach((meter, readings) -> {
            // a catch-up mixes old and new readings: show the span, not the first and last
            Instant first = null;
            Instant last = null;
            Set<String> statuses = new TreeSet<>();
            for (JsonObject r : readings) {
                Instant ts = instant(text(r, "ts"));
                if (ts != null) {
                    first = first == null || ts.isBefore(first) ? ts : first;
                    last = last == null || ts.isAfter(last) ? ts : last;
                }
                if (r.has("status") && r.get("status").isJsonPrimitive()) {
                    statuses.add(r.get("status").getAsString());
                }
            }
            StringBuilder b = new StringBuilder("readings " + meter + ": " + readings.size()
                    + (readings.size() == 1 ? " value" : " values") + (first == null ? "" : " at " + first
                    + (first.equals(last) ? "" : " .. " + last)) + " " + statuses);
            String sep = "; ";
            for (String obis : summaryObis) {
                for (int i = readings.size() - 1; i >= 0; i--) {
                    if (obis.equals(text(readings.get(i), "obis"))) {
                        b.append(sep).append(obis).append(" = ").append(value(readings.get(i))).append(' ')
                                .append(opt(readings.get(i), "unit"));
                        sep = ", ";
                        break;
                    }
                }
            }
            lines.add(b.toString().stripTrailing());
        });
        return lines;
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String reading(JsonObject r) {
        return "reading " + text(r, "meter") + " " + text(r, "obis") + " = " + value(r) + " " + opt(r, "unit")
                + " at " + text(r, "ts") + " [" + text(r, "status") + "]";
    }

    /** A daily/v1 document: the day's registers at midnight and the consumption of the day before. */
    private static String daily(JsonObject d) {
        StringBuilder b = new StringBuilder("daily " + text(d, "meter") + " " + text(d, "day") + " (" + text(d, "zone")
                + "):");
        JsonElement registers = d.get("registers");
        String sep = " ";
        if (registers != null && registers.isJsonArray()) {
            for (JsonElement e : registers.getAsJsonArray()) {
                if (e.isJsonObject()) {
                    JsonObject r = e.getAsJsonObject();
                    b.append(sep).append(text(r, "obis")).append(" = ").append(value(r)).append(' ').append(opt(r, "unit"));
                    sep = ", ";
                }
            }
        }
        JsonElement consumption = d.get("consumption");
        if (consumption != null && consumption.isJsonObject()) {
            JsonObject c = consumption.getAsJsonObject();
            b.append("; consumption ").append(text(c, "day")).append(" = ").append(value(c)).append(' ')
                    .append(opt(c, "unit"));
        } else {
            b.append("; consumption of the day before unknown");
        }
        return b.toString().stripTrailing();
    }

    /** The physical value: value x 10^scaler (COSEM scaler_unit); text values as they are. */
    static String value(JsonObject r) {
        JsonElement v = r.get("value");
        if (v == null || v.isJsonNull()) {
            return "?";
        }
        int scaler = r.has("scaler") && r.get("scaler").isJsonPrimitive() ? r.get("scaler").getAsInt() : 0;
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            return new BigDecimal(v.getAsString()).scaleByPowerOfTen(scaler).stripTrailingZeros().toPlainString();
        }
        return v.getAsString();
    }

    private static String status(JsonObject p) {
        String state = text(p, "state");
        if (!"online".equals(state)) {
            return "status " + state + (p.has("reason") ? " (" + text(p, "reason") + ")" : "");
        }
        StringBuilder b = new StringBuilder("status online, version " + text(p, "version"));
        JsonElement meters = p.get("meters");
        if (meters != null && meters.isJsonArray()) {
            b.append(", meters:");
            if (meters.getAsJsonArray().isEmpty()) {
                b.append(" none");
            }
            for (JsonElement m : meters.getAsJsonArray()) {
                if (m.isJsonObject()) {
                    b.append(' ').append(text(m.getAsJsonObject(), "meter")).append(" (")
                            .append(text(m.getAsJsonObject(), "state")).append(')');
                }
            }
        }
        return b.toString();
    }

    private static String meter(JsonObject p) {
        return p.has("meter") && !p.get("meter").isJsonNull() ? " meter " + p.get("meter").getAsString() : "";
    }

    private static String detail(JsonObject p) {
        return p.has("detail") && !p.get("detail").isJsonNull() ? ": " + p.get("detail").getAsString() : "";
    }

    private static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "?";
    }

    private static String opt(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }

    private static String shorten(String raw) {
        return raw.length() <= MAX_RAW ? raw : raw.substring(0, MAX_RAW) + "...";
    }
}
