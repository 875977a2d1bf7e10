// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GatewayIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"gw-0042", "A", "site_7-north", "x234567890123456789012345678901234567890123456789012345678901234"})
    void acceptsTopicSafeIds(String id) {
        assertThat(GatewayIds.validate(id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gw.1", "gw/1", "gw 1", "gw+", "ü",
            "x2345678901234567890123456789012345678901234567890123456789012345"})
    void refusesOtherIdsSayingWhatIsAllowed(String id) {
        assertThatThrownBy(() -> GatewayIds.validate(id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + id + "'").hasMessageContaining("letters, digits, '-' and '_'");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void saysWhereToSetAMissingId(String id) {
        assertThatThrownBy(() -> GatewayIds.validate(id)).hasMessageContaining("gatewayId is not set")
                .hasMessageContaining("conf/org.metergate.security.cfg");
    }

    @Test
    void keyDirectoryIsUnderTheDataDirectoryUnlessAbsolute() {
        assertThat(DeviceIdentityComponent.directory(null, "security")).isEqualTo(Path.of("data", "security"));
        assertThat(DeviceIdentityComponent.directory("/var/lib/metergate", "security"))
                .isEqualTo(Path.of("/var/lib/metergate/security"));
        assertThat(DeviceIdentityComponent.directory("/var/lib/metergate", "/etc/metergate/keys"))
                .isEqualTo(Path.of("/etc/metergate/keys"));
        assertThat(DeviceIdentityComponent.directory("", "")).isEqualTo(Path.of("data", "security"));
    }
}
