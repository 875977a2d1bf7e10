// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.SimulatedMeter;

/** A simulated meter on TCP, configured through a conf/ file, comes ONLINE in the shipped gateway. */
class MeterOnlineIT {

    @Test
    @Timeout(120)
    void simulatedMeterConfiguredInConfComesOnline() throws Exception {
        try (MeterFleet fleet = MeterFleet.builder().add(SimulatedMeter.builder("m1").build(), 0).start();
                GatewayUnderTest gateway = GatewayUnderTest.copyOfDistribution()) {
            gateway.writeMeterConfig("m1", "tcp://127.0.0.1:" + fleet.tcpPort("m1"),
                    Map.of("pollIntervalSeconds", "2", "timeoutMs", "2000"));
            gateway.start();

            String meters = gateway.awaitCommandOutput("mg:meters", out -> out.contains("ONLINE"), Duration.ofSeconds(60));

            assertThat(meters).contains("m1");
            assertThat(gateway.execute("mg:read m1")).contains("1.8.0");
        }
    }
}
