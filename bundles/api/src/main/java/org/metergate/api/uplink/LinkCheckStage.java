// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.uplink;

/** The steps of the connectivity check, in the order they run. */
public enum LinkCheckStage {
    DNS("Find the broker (DNS)"),
    TCP("Reach the broker's port (TCP)"),
    TLS("Secure connection with the device certificate (TLS)"),
    MQTT("Log in to the broker (MQTT 5)"),
    ROUND_TRIP("Command round trip (get-status)");

    private final String title;

    LinkCheckStage(String title) {
        this.title = title;
    }

    /** What the step proves, in plain words for a technician. */
    public String title() {
        return title;
    }
}
