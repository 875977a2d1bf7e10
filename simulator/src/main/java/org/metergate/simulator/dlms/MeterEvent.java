// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

/** Event codes the simulated meter writes to its standard event log (0-0:99.98.0.255). */
public enum MeterEvent {
    POWER_DOWN(1),
    POWER_UP(2),
    CLOCK_ADJUSTED_OLD_TIME(4),
    CLOCK_ADJUSTED_NEW_TIME(5),
    LOW_CREDIT(60),
    CREDIT_EXHAUSTED(61),
    EMERGENCY_CREDIT_SELECTABLE(62),
    EMERGENCY_CREDIT_INVOKED(63),
    EMERGENCY_CREDIT_EXHAUSTED(64),
    TOKEN_ACCEPTED(65),
    TOKEN_REJECTED(66),
    REMOTE_DISCONNECT(70),
    REMOTE_RECONNECT(71),
    READY_FOR_RECONNECTION(72),
    LOCAL_DISCONNECT(73),
    LOCAL_RECONNECT(74),
    MANUAL_RECONNECT(75),
    MANUAL_DISCONNECT(76);

    private final int code;

    MeterEvent(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
