// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import org.metergate.api.discovery.MeterProposal;
import org.metergate.api.link.LinkAddress;

/**
 * What discovery found on one link: a proposal, or why there is none (nothing answered, the port could not be
 * opened, it was not probed).
 *
 * @param number     1-based, as shown on the page and used by {@code mg:accept}
 * @param proposal   null when no meter answered
 * @param outcome    a sentence for the technician
 * @param acceptedAs the configured meter id once accepted, otherwise null
 */
record DiscoveryFinding(int number, LinkAddress link, MeterProposal proposal, String outcome, String acceptedAs) {

    static final String NO_METER = "no meter answered";

    DiscoveryFinding accepted(String meterId) {
        return new DiscoveryFinding(number, link, proposal, "accepted as meter " + meterId, meterId);
    }
}
