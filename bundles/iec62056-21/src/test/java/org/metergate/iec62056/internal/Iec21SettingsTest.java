// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.metergate.iec62056.internal.TestConfigs.config;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.meter.MeterException;

class Iec21SettingsTest {

    @Test
    void defaultsGiveAWorkingMeter() throws Exception {
        Iec21Settings s = Iec21Settings.from(config());

        assertThat(s.link()).isEqualTo(LinkAddress.tcp("127.0.0.1", 6101));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.pollPolicy().interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.pollPolicy().retries()).isEqualTo(2);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> Iec21Settings.from(config("meterId", "m 1", "link", "ttyUSB0", "initialBaud", 1234,
                "timeoutMs", 10, "retries", 99, "deviceAddress", "x".repeat(40))))
                .hasMessageContaining("meterId 'm 1'")
                .hasMessageContaining("neither a serial device path")
                .hasMessageContaining("initialBaud 1234")
                .hasMessageContaining("timeoutMs 10")
                .hasMessageContaining("retries must be 0..10")
                .hasMessageContaining("deviceAddress");
    }

    @Test
    void aMisconfiguredMeterIsStillListedAndSaysWhy() {
        Iec21Meter meter = new Iec21Meter();
        meter.configure(config("link", "nowhere"), "org.metergate.iec62056.meter~x");

        assertThat(meter.id()).isEqualTo("m1");
        assertThatThrownBy(meter::open).isInstanceOf(MeterException.class)
                .satisfies(e -> assertThat(((MeterException) e).reason()).isEqualTo(MeterException.Reason.CONFIGURATION))
                .hasMessageContaining("meter m1 is misconfigured").hasMessageContaining("'nowhere'");
    }

    @Test
    void aMeterWithoutUsableIdIsNamedByItsConfiguration() {
        Iec21Meter meter = new Iec21Meter();
        meter.configure(config("meterId", ""), "org.metergate.iec62056.meter~x");

        assertThat(meter.id()).isEqualTo("org.metergate.iec62056.meter~x");
    }
}
