// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LinkAddressTest {

    @Test
    void parsesDevicesAndSerialServers() {
        assertThat(LinkAddress.parse("/dev/ttyUSB0")).isEqualTo(LinkAddress.serial("/dev/ttyUSB0"));
        assertThat(LinkAddress.parse("COM3").kind()).isEqualTo(LinkAddress.Kind.SERIAL);
        assertThat(LinkAddress.parse("tcp://10.0.0.5:4001")).isEqualTo(LinkAddress.tcp("10.0.0.5", 4001));
        assertThat(LinkAddress.parse(" gw-probe:4001 ")).isEqualTo(LinkAddress.tcp("gw-probe", 4001));
        assertThat(LinkAddress.parse("tcp://[::1]:4001").host()).isEqualTo("::1");
        assertThat(LinkAddress.tcp("::1", 4001)).hasToString("tcp://[::1]:4001");
        assertThat(LinkAddress.parse("tcp://127.0.0.1:6101")).hasToString("tcp://127.0.0.1:6101");
    }

    @Test
    void explainsWhatIsWrong() {
        assertThatThrownBy(() -> LinkAddress.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> LinkAddress.parse("ttyUSB0")).hasMessageContaining("neither");
        assertThatThrownBy(() -> LinkAddress.parse("host:port")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> LinkAddress.parse("host:70000")).hasMessageContaining("outside 1..65535");
        assertThatThrownBy(() -> LinkAddress.parse("tcp://:80")).hasMessageContaining("host:port");
    }

    @Test
    void settingsCountWireBits() {
        assertThat(LinkSettings.IEC_SIGN_ON.bitsPerCharacter()).isEqualTo(10);
        assertThat(LinkSettings.IEC_SIGN_ON.withBaudRate(9600)).hasToString("9600 7E1");
        assertThatThrownBy(() -> new LinkSettings(300, 9, Parity.NONE, 1)).hasMessageContaining("data bits");
    }
}
