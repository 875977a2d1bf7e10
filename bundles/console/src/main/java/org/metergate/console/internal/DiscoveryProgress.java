// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of the current (or last) discovery.
 *
 * @param step     what runs now, e.g. {@code /dev/ttyUSB0: IEC 62056-21}; empty when not running
 * @param started  null before the first discovery
 * @param finished null while running or before the first discovery
 */
record DiscoveryProgress(boolean running, int done, int total, String step, Instant started, Instant finished,
        List<DiscoveryFinding> findings) {

    static final DiscoveryProgress NONE = new DiscoveryProgress(false, 0, 0, "", null, null, List.of());

    DiscoveryProgress {
        findings = List.copyOf(findings);
    }
}
