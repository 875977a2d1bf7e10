// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

/**
 * One level a balance can fall under, firing once per crossing: after it fired it is re-armed only when a
 * balance above the level is seen again.
 *
 * <p>Balances come from two streams that are each in order but not with each other (balance receipts, and
 * readings of the credit register that may have been taken before the last top-up). A crossing is therefore a
 * step from at-or-above to below <em>within one stream</em>: a late reading still showing the balance from
 * before a top-up is not a new crossing. The very first balance of a meter counts as a crossing when it is
 * already below the level.
 */
final class ThresholdCrossing {

    private final long level;
    private boolean armed = true;

    ThresholdCrossing(long level) {
        this.level = level;
    }

    long level() {
        return level;
    }

    /**
     * @param previous     the last balance of the same stream, or null if this stream had none
     * @param firstOfMeter whether no balance of this meter was seen before, from any stream
     * @return whether this balance is a crossing that should act
     */
    boolean step(Long previous, long current, boolean firstOfMeter) {
        if (current > level) {
            armed = true;
            return false;
        }
        if (current == level || !armed) {
            return false;
        }
        boolean fell = previous != null ? previous >= level : firstOfMeter;
        if (fell) {
            armed = false;
        }
        return fell;
    }
}
