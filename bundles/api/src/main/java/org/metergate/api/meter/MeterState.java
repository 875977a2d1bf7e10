// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

/** What the gateway knows about a meter right now. */
public enum MeterState {
    /** Configured, not read yet. */
    PENDING,
    /** Last read succeeded. */
    ONLINE,
    /** Last read failed and retries are running. */
    RETRYING,
    /** All retries failed; no values are reported until the meter answers again. */
    UNREACHABLE,
    /** The meter's configuration cannot work; it is not polled until the configuration is fixed. */
    MISCONFIGURED
}
