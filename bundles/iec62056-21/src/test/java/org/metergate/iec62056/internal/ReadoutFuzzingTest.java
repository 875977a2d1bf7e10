// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import org.junit.jupiter.api.Test;
import org.metergate.testing.FuzzingRun;

/** The readout fuzz targets: saved inputs, then a short fuzzing run each (see {@link FuzzingRun}). */
class ReadoutFuzzingTest {

    @Test
    void dataBlock() throws Exception {
        FuzzingRun.fuzz(ReadoutFuzzTargets.class, "dataBlock");
    }

    @Test
    void dataLines() throws Exception {
        FuzzingRun.fuzz(ReadoutFuzzTargets.class, "dataLines");
    }
}
