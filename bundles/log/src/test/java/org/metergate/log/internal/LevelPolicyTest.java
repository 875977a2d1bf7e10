// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.log.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogLevel;

class LevelPolicyTest {

    @Test
    void longestLoggerPrefixWinsThenBundleThenRoot() {
        List<String> problems = new ArrayList<>();
        LevelPolicy policy = LevelPolicy.parse("info",
                "org.metergate=WARN, org.metergate.store=DEBUG; org.apache.felix.scr=ERROR", problems::add);

        assertThat(problems).isEmpty();
        assertThat(policy.effectiveLevel("org.metergate.store.internal.SqliteOutbox", "x")).isEqualTo(LogLevel.DEBUG);
        assertThat(policy.effectiveLevel("org.metergate.metering.Poller", "x")).isEqualTo(LogLevel.WARN);
        assertThat(policy.effectiveLevel("LogService", "org.apache.felix.scr")).isEqualTo(LogLevel.ERROR);
        assertThat(policy.effectiveLevel("Other", "other.bundle")).isEqualTo(LogLevel.INFO);
        assertThat(policy.isWritten(LogLevel.INFO, "Other", null)).isTrue();
        assertThat(policy.isWritten(LogLevel.DEBUG, "Other", null)).isFalse();
    }

    @Test
    void badEntriesAreReportedAndSkippedWithoutLosingTheGoodOnes() {
        List<String> problems = new ArrayList<>();
        LevelPolicy policy = LevelPolicy.parse("LOUD", "a=DEBUG, b=VERBOSE, =INFO, c", problems::add);

        assertThat(policy.rootLevel()).isEqualTo(LogLevel.INFO);
        assertThat(policy.levelsByName()).containsOnlyKeys("a");
        assertThat(problems).hasSize(4);
        assertThat(problems.get(0)).contains("rootLevel", "LOUD", "ERROR, WARN, INFO, DEBUG, TRACE");
        assertThat(problems.get(1)).contains("b=VERBOSE", "name=LEVEL");
    }
}
