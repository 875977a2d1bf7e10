// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.LinkSettings;
import org.metergate.api.link.LinkUnavailableException;
import org.metergate.api.link.PortInfo;

@Timeout(10)
class MissingDeviceTest {

    @Test
    void missingDeviceNamesThePortsThatExist() {
        assertThatThrownBy(() -> ByteLinks.open(LinkAddress.serial("/dev/ttyUSB97"), LinkSettings.IEC_SIGN_ON,
                Duration.ofSeconds(1))).isInstanceOf(LinkUnavailableException.class)
                .hasMessageStartingWith("serial port /dev/ttyUSB97 does not exist (present: ")
                .hasMessageEndingWith(")");
    }

    @Test
    void listingGivesPathsAndDescriptions() {
        for (PortInfo port : ByteLinks.listPorts()) {
            assertThat(port.path()).isNotBlank();
            assertThat(port.description()).isNotBlank();
        }
    }

    @Test
    void openTimeoutMustBePositive() {
        assertThatThrownBy(() -> ByteLinks.open(LinkAddress.serial("/dev/ttyUSB97"), LinkSettings.IEC_SIGN_ON,
                Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
