// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PollPolicyTest {

    @Test
    void backoffDoublesUpToTheCap() {
        PollPolicy p = new PollPolicy(Duration.ofMinutes(1), 5, Duration.ofSeconds(2), Duration.ofSeconds(10));
        assertThat(p.backoffBefore(1)).hasSeconds(2);
        assertThat(p.backoffBefore(2)).hasSeconds(4);
        assertThat(p.backoffBefore(3)).hasSeconds(8);
        assertThat(p.backoffBefore(4)).hasSeconds(10);
        assertThat(p.backoffBefore(60)).hasSeconds(10);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new PollPolicy(Duration.ZERO, 1, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("interval");
        assertThatThrownBy(() -> new PollPolicy(Duration.ofSeconds(1), 11, Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("retries");
        assertThatThrownBy(() -> new PollPolicy(Duration.ofSeconds(1), 1, Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasMessageContaining("backoff");
    }
}
