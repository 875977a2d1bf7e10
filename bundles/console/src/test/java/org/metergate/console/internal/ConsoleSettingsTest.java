// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class ConsoleSettingsTest {

    private static ConsoleConfig config(int port, String host, int idle, int max, int failures, int lockout) {
        return new ConsoleConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ConsoleConfig.class;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public String host() {
                return host;
            }

            @Override
            public boolean developmentHttp() {
                return false;
            }

            @Override
            public int sessionIdleMinutes() {
                return idle;
            }

            @Override
            public int sessionMaxHours() {
                return max;
            }

            @Override
            public int failuresBeforeLockout() {
                return failures;
            }

            @Override
            public int lockoutSeconds() {
                return lockout;
            }
        };
    }

    @Test
    void defaultsAreAccepted() {
        ConsoleSettings settings = ConsoleSettings.from(config(8443, "", 15, 8, 5, 30));
        assertThat(settings.sessionIdle()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.sessionMax()).isEqualTo(Duration.ofHours(8));
        assertThat(settings.lockout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ConsoleSettings.from(config(443, " 192.168.7.1 ", 15, 8, 5, 30)).bindAddress())
                .isEqualTo("192.168.7.1");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> ConsoleSettings.from(config(0, "gateway.local", 0, 100, 0, 1000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conf/org.metergate.console.cfg")
                .hasMessageContaining("port is 0, must be 1..65535")
                .hasMessageContaining("sessionIdleMinutes is 0")
                .hasMessageContaining("sessionMaxHours is 100")
                .hasMessageContaining("failuresBeforeLockout is 0")
                .hasMessageContaining("lockoutSeconds is 1000, must be 1..900")
                .hasMessageContaining("host 'gateway.local' is not an IP address");
    }
}
