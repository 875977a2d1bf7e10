// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import org.junit.jupiter.api.Test;
import org.metergate.testing.FuzzingRun;

/** The COSEM data fuzz target: saved inputs, then a short fuzzing run (see {@link FuzzingRun}). */
class CosemDataFuzzingTest {

    @Test
    void registerValue() throws Exception {
        FuzzingRun.fuzz(CosemDataFuzzTargets.class, "registerValue");
    }
}
