// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metergate.api.discovery.MeterProbe;
import org.metergate.api.discovery.MeterProposal;
import org.metergate.api.link.LinkAddress;
import org.metergate.serial.embedded.SerialLinks;
import org.metergate.simulator.Fault;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.SimulatedMeter;
import org.metergate.testing.BundleManifests;

/** The factory other modules' tests use, against the simulator over the real links, and that the bundle keeps it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Iec21DriversTest {

    private static final Duration ANSWER = Duration.ofMillis(800);

    private final MeterProbe probe = Iec21Drivers.probe(SerialLinks.linkService());
    private MeterFleet fleet;

    @AfterEach
    void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void theProbeMadeHereProposesTheSimulatedMetersConfiguration() throws Exception {
        SimulatedMeter sim = SimulatedMeter.builder("m1").serialNumber("31415926").reactionTime(Duration.ofMillis(20))
                .build();
        fleet = MeterFleet.builder().wireSpeed(false).add(sim, 0).start();
        LinkAddress link = LinkAddress.tcp("127.0.0.1", fleet.tcpPort("m1"));

        MeterProposal proposal = probe.probe(link, ANSWER).orElseThrow();

        assertThat(probe.protocol()).isEqualTo("IEC 62056-21");
        assertThat(proposal.factoryPid()).isEqualTo("org.metergate.iec62056.meter");
        assertThat(proposal.identification()).endsWith(sim.identification()).contains("31415926");
        assertThat(proposal.settings()).containsEntry("link", link.toString());
        assertThat(sim.counters().readoutsCompleted()).isZero();
    }

    @Test
    void aSilentMeterIsNoMeter() throws Exception {
        SimulatedMeter sim = SimulatedMeter.builder("m1").reactionTime(Duration.ofMillis(20)).build();
        fleet = MeterFleet.builder().wireSpeed(false).add(sim, 0).start();
        sim.injectFault(Fault.SILENT);

        assertThat(probe.probe(LinkAddress.tcp("127.0.0.1", fleet.tcpPort("m1")), ANSWER)).isEmpty();
    }

    @Test
    void theBundleExportsNeitherTheFactoryNorTheInternals() throws Exception {
        BundleManifests.assertExportsNothing("org.metergate.iec62056.embedded", "org.metergate.iec62056.internal");
    }
}
