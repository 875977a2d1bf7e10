// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.util.regex.Pattern;

/** The one place that decides what a gateway id may look like (topic level, certificate CN, file names). */
final class GatewayIds {

    // no dots or slashes: brokers map '/' to '.' internally, which would confuse per-gateway authorization
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private GatewayIds() {
    }

    /** Returns the id unchanged, or throws with a message a technician can act on. */
    static String validate(String gatewayId) {
        if (gatewayId == null || gatewayId.isBlank()) {
            throw new IllegalArgumentException("gatewayId is not set in configuration org.metergate.security: add "
                    + "gatewayId=<id> to conf/org.metergate.security.cfg (letters, digits, '-' and '_', 1 to 64 "
                    + "characters), then the device key is created");
        }
        if (!VALID.matcher(gatewayId).matches()) {
            throw new IllegalArgumentException("gatewayId '" + gatewayId + "' in configuration org.metergate.security "
                    + "is not allowed: use only letters, digits, '-' and '_', 1 to 64 characters (no spaces, dots or "
                    + "slashes), e.g. gw-0042");
        }
        return gatewayId;
    }
}
