// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

/** A reading that arrived with an older timestamp than one already received for the same meter. */
public record OrderingViolation(String gateway, String meter, String readingId, String ts, String previousTs) {

    @Override
    public String toString() {
        return gateway + "/" + meter + ": reading " + readingId + " taken at " + ts + " arrived after one taken at "
                + previousTs;
    }
}
