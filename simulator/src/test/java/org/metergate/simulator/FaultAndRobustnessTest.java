// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metergate.simulator.MeterFixture.fleet;
import static org.metergate.simulator.MeterFixture.meter;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FaultAndRobustnessTest {

    private static final byte[] READOUT_SELECT = { Frames.ACK, '0', '5', '0', '\r', '\n' };

    @Test
    void corruptBccSendsWholeBlockWithWrongCheckCharacter() throws Exception {
        SimulatedMeter m1 = meter("m1").build();
        m1.injectFault(Fault.CORRUPT_BCC);
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?!\r\n");
            client.readLine();
            client.send(READOUT_SELECT);
            byte[] block = client.readBlock();
            assertThat(RawClient.text(block)).endsWith("F.F(00000000)\r\n!\r\n");
            assertThat(RawClient.bccValid(block)).isFalse();

            m1.clearFault(Fault.CORRUPT_BCC);
            client.send("/?!\r\n");
            client.readLine();
            client.send(READOUT_SELECT);
            assertThat(RawClient.bccValid(client.readBlock())).isTrue();
        }
    }

    @Test
    void truncatedBlockStopsHalfWayThenStaysSilent() throws Exception {
        SimulatedMeter m1 = meter("m1").build();
        m1.injectFault(Fault.TRUNCATED_BLOCK);
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?!\r\n");
            client.readLine();
            client.send(READOUT_SELECT);
            byte[] partial = client.readFor(400);
            assertThat(partial).isNotEmpty();
            assertThat(partial[0]).isEqualTo(Frames.STX);
            assertThat(partial).doesNotContain(Frames.ETX);
            assertThat(m1.counters().readoutsCompleted()).isZero();

            m1.clearFaults(); // the meter recovers with the next sign-on
            client.send("/?!\r\n");
            assertThat(client.readLine()).startsWith("/MGS");
        }
    }

    @Test
    void silentMeterNeverAnswersButCountsTheSignOn() throws Exception {
        SimulatedMeter m1 = meter("m1").build();
        m1.injectFault(Fault.SILENT);
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?!\r\n");
            assertThat(client.readFor(300)).isEmpty();
            assertThat(m1.counters().signOns()).isEqualTo(1);
            assertThat(m1.counters().sessionsServed()).isZero();

            m1.clearFault(Fault.SILENT);
            client.send("/?!\r\n");
            assertThat(client.readLine()).startsWith("/MGS");
        }
    }

    @Test
    void slowReactionUsesTheConfiguredTime() throws Exception {
        SimulatedMeter m1 = meter("m1").build();
        m1.injectSlowReaction(Duration.ofMillis(1200));
        assertThat(m1.effectiveReactionTime()).isEqualTo(Duration.ofMillis(1200));
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?!\r\n");
            // nothing within the normal reaction time, the identification after the slow one
            assertThat(client.readFor(500)).isEmpty();
            assertThat(client.readLine()).startsWith("/MGS");
        }
        m1.clearFault(Fault.SLOW_REACTION);
        assertThat(m1.effectiveReactionTime()).isEqualTo(m1.reactionTime());
    }

    @Test
    void garbageResetsTheMeterToWaitForSignOn() throws Exception {
        SimulatedMeter m1 = meter("m1").build();
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?!\r\n");
            client.readLine();
            client.send(new byte[] { 'x', 'y', (byte) 0xFF, 0x00, '\r', '\n' });
            client.send(READOUT_SELECT); // no longer expected: ignored
            assertThat(client.readFor(300)).isEmpty();
            assertThat(m1.counters().resets()).isPositive();
            assertThat(m1.counters().readoutsCompleted()).isZero();

            client.send("/?!\r\n");
            client.readLine();
            client.send(READOUT_SELECT);
            assertThat(RawClient.bccValid(client.readBlock())).isTrue();
        }
    }

    @Test
    void malformedSignOnIsNotAnswered() throws Exception {
        SimulatedMeter m1 = meter("m1").build();
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/X!\r\n/?\r\n");
            assertThat(client.readFor(300)).isEmpty();
            assertThat(m1.counters().signOns()).isZero();
        }
    }

    @Test
    void interCharacterTimeoutDropsAHalfMessage() throws Exception {
        SimulatedMeter m1 = meter("m1").build(); // fixture: 300 ms inter-character timeout
        try (MeterFleet fleet = fleet(m1); RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?");
            assertThat(client.readFor(600)).isEmpty();
            client.send("!\r\n"); // the rest arrives too late: not a sign-on any more
            assertThat(client.readFor(300)).isEmpty();
            assertThat(m1.counters().resets()).isPositive();

            client.send("/?!\r\n");
            assertThat(client.readLine()).startsWith("/MGS");
        }
    }

    @Test
    void clientVanishingMidSessionFreesTheMeter() throws Exception {
        SimulatedMeter m1 = meter("m1").build();
        try (MeterFleet fleet = fleet(m1)) {
            try (RawClient first = new RawClient(fleet.tcpPort("m1"))) {
                first.send("/?!\r\n");
                first.readLine();
                first.send(new byte[] { Frames.ACK, '0' }); // gone in the middle of the option select
            }
            try (RawClient second = new RawClient(fleet.tcpPort("m1"))) {
                second.send("/?!\r\n");
                second.readLine();
                second.send(READOUT_SELECT);
                assertThat(RawClient.bccValid(second.readBlock())).isTrue();
            }
            assertThat(m1.counters().connections()).isEqualTo(2);
            assertThat(m1.counters().readoutsCompleted()).isEqualTo(1);
        }
    }

    @Test
    void closingTheFleetClosesClientConnections() throws Exception {
        SimulatedMeter m1 = meter("m1").build();
        MeterFleet fleet = fleet(m1);
        try (RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            client.send("/?!\r\n");
            client.readLine();
            fleet.close();
            assertThat(client.readByte()).isEqualTo(-1);
        }
    }
}
