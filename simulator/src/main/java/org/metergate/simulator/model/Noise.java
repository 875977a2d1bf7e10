// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.model;

/** Stateless, seedable noise: the same inputs always give the same number (SplitMix64 finaliser). */
final class Noise {

    private Noise() {
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    static double unit(long key, long... parts) {
        long h = key;
        for (long part : parts) {
            h = mix(h ^ mix(part + 0x632BE59BD9B4E019L));
        }
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [-1, 1). */
    static double signed(long key, long... parts) {
        return 2 * unit(key, parts) - 1;
    }
}
