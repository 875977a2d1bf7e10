// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.uplink;

/** Where the head-end link is in its life cycle. */
public enum UplinkState {
    /** Not started, or stopping with the gateway. */
    STOPPED,
    /** A connection attempt is under way. */
    CONNECTING,
    /** Connected to the broker; the outbox drains. */
    CONNECTED,
    /** The last attempt or connection failed; the next attempt follows after a pause. */
    WAITING_TO_RECONNECT,
    /** The link's configuration cannot work; {@code lastError} says what to fix. */
    MISCONFIGURED
}
