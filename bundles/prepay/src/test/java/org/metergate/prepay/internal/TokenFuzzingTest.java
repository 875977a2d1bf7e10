// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import org.junit.jupiter.api.Test;
import org.metergate.testing.FuzzingRun;

/** The credit-token fuzz target: saved inputs, then a short fuzzing run (see {@link FuzzingRun}). */
class TokenFuzzingTest {

    @Test
    void token() throws Exception {
        FuzzingRun.fuzz(TokenFuzzTargets.class, "token");
    }
}
