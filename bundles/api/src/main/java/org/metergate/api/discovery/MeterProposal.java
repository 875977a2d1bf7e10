// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.discovery;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.metergate.api.link.LinkAddress;

/**
 * A meter found by a {@link MeterProbe} and the factory configuration that would read it.
 *
 * @param protocol       protocol name, as {@link MeterProbe#protocol()}
 * @param link           where the meter answered
 * @param identification what the meter said about itself (identification line, logical device name, serial number)
 * @param details        a sentence for the technician: mode, speed, what else is needed (keys)
 * @param factoryPid     the driver's factory PID, e.g. {@code org.metergate.iec62056.meter}
 * @param settings       the factory configuration's properties; always {@code meterId} and {@code link}. Values are
 *                       String, Integer or Boolean, the types ConfigAdmin and Metatype use.
 */
public record MeterProposal(String protocol, LinkAddress link, String identification, String details,
        String factoryPid, Map<String, Object> settings) {

    /** Meter ids the drivers accept. */
    public static final Pattern METER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public MeterProposal {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(factoryPid, "factoryPid");
        identification = identification == null ? "" : identification;
        details = details == null ? "" : details;
        Map<String, Object> copy = new LinkedHashMap<>(Objects.requireNonNull(settings, "settings"));
        Object id = copy.get("meterId");
        if (!(id instanceof String s) || !METER_ID.matcher(s).matches()) {
            throw new IllegalArgumentException("proposal settings need a meterId of 1-64 letters, digits, - or _, not "
                    + id);
        }
        if (!(copy.get("link") instanceof String)) {
            throw new IllegalArgumentException("proposal settings need the link as text");
        }
        for (Map.Entry<String, Object> e : copy.entrySet()) {
            Object v = e.getValue();
            if (!(v instanceof String || v instanceof Integer || v instanceof Boolean)) {
                throw new IllegalArgumentException("proposal setting " + e.getKey() + " must be String, Integer or "
                        + "Boolean, not " + (v == null ? "null" : v.getClass().getSimpleName()));
            }
        }
        settings = Collections.unmodifiableMap(copy);
    }

    public String meterId() {
        return (String) settings.get("meterId");
    }

    /** The same proposal under another meter id, e.g. when the proposed one is taken. */
    public MeterProposal withMeterId(String meterId) {
        Map<String, Object> renamed = new LinkedHashMap<>(settings);
        renamed.put("meterId", meterId);
        return new MeterProposal(protocol, link, identification, details, factoryPid, renamed);
    }

    /**
     * A meter id from what a meter calls itself: its letters, digits, - and _, at most 64; {@code fallback} when
     * nothing is left.
     */
    public static String meterIdFrom(String text, String fallback) {
        StringBuilder id = new StringBuilder();
        for (char c : (text == null ? "" : text).toCharArray()) {
            if (id.length() < 64 && (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_')) {
                id.append(c);
            }
        }
        return id.length() == 0 ? fallback : id.toString();
    }
}
