// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import org.junit.jupiter.api.Test;
import org.metergate.testing.FuzzingRun;

/** The downlink fuzz target: saved inputs, then a short fuzzing run (see {@link FuzzingRun}). */
class DownlinkFuzzingTest {

    @Test
    void downlink() throws Exception {
        FuzzingRun.fuzz(DownlinkFuzzTargets.class, "downlink");
    }
}
