// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

/** Where the link is in its life cycle. */
public enum LinkState {
    STOPPED, CONNECTING, CONNECTED, WAITING_TO_RECONNECT, MISCONFIGURED
}
