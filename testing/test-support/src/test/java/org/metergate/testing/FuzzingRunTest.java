// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A fuzz target name that the class does not have is refused before any JVM starts. */
class FuzzingRunTest {

    static void parse(byte[] input) {
        // a target in shape only; this test never fuzzes it
    }

    @Test
    void anUnknownTargetMethodIsRefusedByName() {
        assertThatThrownBy(() -> FuzzingRun.fuzz(FuzzingRunTest.class, "parsee"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("org.metergate.testing.FuzzingRunTest has no fuzz target method 'parsee'");
    }
}
