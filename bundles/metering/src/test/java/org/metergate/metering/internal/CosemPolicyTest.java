// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CosemPolicyTest {

    /** A configuration as ConfigAdmin would deliver it: these values over the defaults. */
    private static MeteringConfig config(Map<String, Object> values) {
        return (MeteringConfig) Proxy.newProxyInstance(MeteringConfig.class.getClassLoader(),
                new Class<?>[] {MeteringConfig.class}, (proxy, method, args) -> method.getName().equals("annotationType")
                        ? MeteringConfig.class
                        : values.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    @Test
    void defaultsAreThirtySecondsSevenDaysOneDayChunksInTheGatewaysZone() {
        CosemPolicy policy = CosemPolicy.from(config(Map.of()));

        assertThat(policy.clockDriftThreshold()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.maxCatchUp()).isEqualTo(Duration.ofDays(7));
        assertThat(policy.chunk()).isEqualTo(Duration.ofHours(24));
        assertThat(policy.dailyZone()).isEqualTo(ZoneId.systemDefault());
        assertThat(CosemPolicy.from(config(Map.of("dailyZone", " Africa/Nairobi "))).dailyZone())
                .isEqualTo(ZoneId.of("Africa/Nairobi"));
    }

    @Test
    void everyInvalidSettingIsNamedAtOnceWithItsRangeAndTheFile() {
        assertThatThrownBy(() -> CosemPolicy.from(config(Map.of("clockDriftThresholdSeconds", 0,
                "maxCatchUpDays", 400, "catchUpChunkHours", 0, "dailyZone", "Mars/Olympus"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conf/org.metergate.metering.cfg")
                .hasMessageContaining("clockDriftThresholdSeconds is 0; it must be 1..86400")
                .hasMessageContaining("maxCatchUpDays is 400; it must be 1..366")
                .hasMessageContaining("catchUpChunkHours is 0; it must be 1..168")
                .hasMessageContaining("dailyZone 'Mars/Olympus' is not a time zone");
    }
}
