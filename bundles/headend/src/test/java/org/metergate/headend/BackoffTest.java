// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesWithJitterAndStopsAtTheMaximum() {
        Backoff top = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.999999);
        assertThat(top.next()).isBetween(Duration.ofMillis(990), Duration.ofSeconds(1));
        assertThat(top.next()).isBetween(Duration.ofMillis(1990), Duration.ofSeconds(2));
        assertThat(top.next()).isBetween(Duration.ofMillis(3990), Duration.ofSeconds(4));
        assertThat(top.next()).isBetween(Duration.ofMillis(7990), Duration.ofSeconds(8));
        assertThat(top.next()).isBetween(Duration.ofMillis(9990), Duration.ofSeconds(10));
        assertThat(top.next()).isBetween(Duration.ofMillis(9990), Duration.ofSeconds(10));

        Backoff bottom = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.0);
        assertThat(bottom.next()).isEqualTo(Duration.ofMillis(500));
        assertThat(bottom.next()).isEqualTo(Duration.ofSeconds(1));
        bottom.reset();
        assertThat(bottom.next()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void neverExceedsTheMaximum() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(700), Math::random);
        for (int i = 0; i < 100; i++) {
            assertThat(b.next()).isLessThanOrEqualTo(Duration.ofMillis(700)).isPositive();
        }
    }
}
