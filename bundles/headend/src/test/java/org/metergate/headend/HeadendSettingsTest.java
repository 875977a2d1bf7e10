// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class HeadendSettingsTest {

    static HeadendSettings settings(String uri, boolean insecure) {
        return new HeadendSettings(uri, 3600, 30, 50, 65_536, Duration.ZERO, 5, Duration.ofMillis(100),
                Duration.ofMillis(400), 8, Duration.ofMillis(20), insecure, 1);
    }

    @Test
    void plaintextIsRefusedUnlessExplicitlyAllowed() {
        assertThatThrownBy(() -> settings("tcp://broker:1883", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plaintext").hasMessageContaining("ssl://");
        assertThat(settings("tcp://broker:1883", true).usesTls()).isFalse();
        assertThat(settings("ssl://broker:8883", false).usesTls()).isTrue();
    }

    @Test
    void rejectsWhatCannotWork() {
        assertThatThrownBy(() -> settings("ws://broker:80", false)).hasMessageContaining("scheme 'ws'");
        assertThatThrownBy(() -> settings("broker:8883", false)).hasMessageContaining("brokerUri");
        assertThatThrownBy(() -> new HeadendSettings("ssl://b:8883", 0, 30, 50, 65_536, Duration.ZERO, 5,
                Duration.ofSeconds(1), Duration.ofSeconds(2), 8, Duration.ofMillis(20), false, 1))
                .hasMessageContaining("sessionExpirySeconds");
        assertThatThrownBy(() -> new HeadendSettings("ssl://b:8883", 60, 30, 50, 65_536, Duration.ZERO, 5,
                Duration.ofSeconds(5), Duration.ofSeconds(2), 8, Duration.ofMillis(20), false, 1))
                .hasMessageContaining("reconnectMaxSeconds");
    }

    @Test
    void metatypeDefaultsAreAUsableFieldConfiguration() {
        HeadendConfig defaults = (HeadendConfig) java.lang.reflect.Proxy.newProxyInstance(
                HeadendConfig.class.getClassLoader(), new Class<?>[] {HeadendConfig.class},
                (proxy, method, args) -> method.getDefaultValue());
        HeadendSettings s = HeadendSettings.from(defaults);
        assertThat(s.usesTls()).isTrue();
        assertThat(s.insecurePlaintext()).isFalse();
        assertThat(s.sessionExpirySeconds()).isEqualTo(7 * 24 * 3600);
        assertThat(s.willDelaySeconds()).isPositive();
        assertThat(s.reconnectMax()).isGreaterThan(s.reconnectInitial());
        assertThat(s.compressReadings()).isTrue();
    }
}
