// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.uplink;

/** Service of the bundle that owns the head-end link: its current state, cheap to call (no network access). */
public interface Uplink {

    UplinkStatus status();
}
