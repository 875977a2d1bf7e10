// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

import java.time.Instant;
import java.util.Objects;

/** Something that happened to a meter and is reported to the head-end. */
public record MeterEvent(String meterId, Type type, Instant at, String detail) {

    public enum Type {
        METER_UNREACHABLE, METER_RECOVERED, CLOCK_DRIFT, LOW_CREDIT, CREDIT_EXHAUSTED, DISCONNECTED, RECONNECTED,
        POWER_FAIL, POWER_RESTORE, TAMPER, MESSAGES_DROPPED
    }

    public MeterEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        detail = detail == null ? "" : detail;
    }
}
