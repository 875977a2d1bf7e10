// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.headendsim.EmbeddedBroker;
import org.metergate.headendsim.HeadendSimulator;
import org.metergate.headendsim.Pki;
import org.metergate.headendsim.TcpProxy;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.SimulatedMeter;

import com.google.gson.JsonObject;

/**
 * {@code kill -9} of the real gateway JVM, twice while it buffers (uplink dead) and twice while it drains
 * its backlog, then once more in normal operation: every message the outbox accepted reaches the head-end,
 * and the only messages that arrive more than once are ones that were still waiting, unacknowledged, in the
 * outbox when a session ended. The head-end simulator drops those repeats by id.
 *
 * <p>One outbox message per publish and one publish in flight, so a drain is as long as it can be and a kill
 * after half of the backlog went out lands in the middle of it.
 */
class GatewayKillIT {

    private static final String GATEWAY = "gw-kill";
    private static final List<String> METERS = List.of("m1", "m2", "m3", "m4");
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Messages added to the backlog before each kill while buffering. */
    private static final int GROWTH = 8;

    @TempDir
    Path pkiDir;

    @Test
    @Timeout(240)
    void killNineWhileBufferingAndDrainingLosesNothingAccepted() throws Exception {
        Pki pki = Pki.create(pkiDir);
        MeterFleet.Builder fleetBuilder = MeterFleet.builder().wireSpeed(false);
        for (int i = 0; i < METERS.size(); i++) {
            fleetBuilder.add(SimulatedMeter.builder(METERS.get(i)).seed(i + 1).reactionTime(Duration.ofMillis(20)).build(), 0);
        }
        try (MeterFleet fleet = fleetBuilder.start();
                EmbeddedBroker broker = EmbeddedBroker.mutualTls(pki).build().start();
                TcpProxy link = new TcpProxy(broker.port());
                HeadendSimulator headend = HeadendSimulator.connectTo(broker.uri())
                        .tls(pki.clientContext(Pki.HEADEND_CN)).start();
                UplinkTap tap = UplinkTap.connect(broker.uri(), pki.clientContext(Pki.HEADEND_CN), GATEWAY);
                GatewayProcess gateway = GatewayProcess.copyOfDistribution(GATEWAY)) {
            gateway.writeHeadendConfig(link.uri("ssl"), Map.of("inflightWindow", "1", "batchMaxReadings", "1"));
            for (String meter : METERS) {
                gateway.writeMeterConfig(meter, fleet.tcpPort(meter), 1);
            }
            gateway.start();
            assertThat(gateway.commission(pki)).doesNotContain("NOT installed");
            headend.awaitReadings(GATEWAY, METERS.get(0), 1, WAIT);

            // what the outbox held at each kill: anything the head-end may see twice must be in here
            List<OutboxSnapshot> atKills = new ArrayList<>();

            // buffering: the link dies (whatever was in flight stays in the outbox) and stays down
            link.down(true);
            link.cut();
            gateway.awaitBacklog(GROWTH, WAIT);
            atKills.add(killAndSnapshot(gateway));
            gateway.start();
            gateway.awaitBacklog(atKills.get(0).size() + GROWTH, WAIT);
            atKills.add(killAndSnapshot(gateway));
            assertThat(atKills.get(1).keys()).as("what the outbox held at the first kill survives the second")
                    .containsAll(atKills.get(0).keys());

            // draining: the link is back; killed once about half of what waited at the last kill reached the broker
            link.down(false);
            for (int drain = 0; drain < 2; drain++) {
                long before = tap.publications();
                gateway.start();
                tap.awaitPublications(before + Math.max(1, atKills.get(atKills.size() - 1).size() / 2), WAIT);
                atKills.add(killAndSnapshot(gateway));
            }

            // a last run delivers everything that ever waited at a kill and is killed in normal operation
            Set<String> waitedAtAKill = new HashSet<>();
            atKills.forEach(s -> waitedAtAKill.addAll(s.keys()));
            gateway.start();
            GatewayUnderTest.awaitTrue("every message that waited at a kill to reach the head-end", WAIT,
                    () -> tap.deliveredKeys().containsAll(waitedAtAKill));
            OutboxSnapshot end = killAndSnapshot(gateway);
            // messages acknowledged just before the kill may still be on their way from the broker to us
            GatewayUnderTest.awaitTrue("every accepted message to be delivered or waiting", WAIT,
                    () -> deliveredOrWaiting(tap, end).size() >= end.accepted());

            Set<String> accounted = deliveredOrWaiting(tap, end);
            assertThat(accounted).as("every message the outbox ever accepted (%d) is delivered or still waiting, "
                    + "and nothing else arrived", end.accepted()).hasSize((int) end.accepted());
            assertThat(tap.repeatedKeys()).as("only messages unacknowledged at a kill arrive twice")
                    .isSubsetOf(waitedAtAKill);
            assertThat(tap.unreadable()).isEmpty();

            // the head-end simulator dropped every repeat by id: each reading once, every meter in order
            int distinct = tap.distinctReadings();
            GatewayUnderTest.awaitTrue("the head-end simulator to have each distinct reading", WAIT,
                    () -> sumReadings(headend) == distinct);
            for (String meter : METERS) {
                List<JsonObject> readings = headend.readings(GATEWAY, meter);
                assertThat(readings.stream().map(r -> r.get("id").getAsString()).distinct()).hasSameSizeAs(readings);
            }
            assertThat(headend.duplicatesDropped() + headend.duplicateReadingsDropped() > 0)
                    .as("the head-end simulator dropped repeats exactly when some arrived")
                    .isEqualTo(!tap.repeatedKeys().isEmpty());
            assertThat(headend.orderingViolations()).isEmpty();

            // per meter, against the simulated meters: a readout the meter finished just before a kill may
            // never have been accepted, at most one per kill and meter
            Map<String, Long> perMeter = accounted.stream().filter(k -> k.contains("|"))
                    .collect(Collectors.groupingBy(k -> k.substring(0, k.indexOf('|')), Collectors.counting()));
            int kills = atKills.size() + 1;
            for (String meter : METERS) {
                long served = fleet.meter(meter).counters().readoutsCompleted();
                assertThat(perMeter.getOrDefault(meter, 0L)).as("readouts of %s accepted vs. served by the meter", meter)
                        .isLessThanOrEqualTo(served).isGreaterThanOrEqualTo(served - kills);
            }
            System.out.printf("GatewayKillIT: %d messages accepted, %d repeated on the wire; waiting at the kills: %s, "
                    + "at the end %d; %d distinct readings, %d copies received%n", end.accepted(),
                    tap.repeatedKeys().size(), atKills.stream().map(s -> String.valueOf(s.size()))
                            .collect(Collectors.joining("/")), end.size(), distinct, tap.readingCopies());
        }
    }

    private static OutboxSnapshot killAndSnapshot(GatewayProcess gateway) throws Exception {
        gateway.kill();
        return gateway.outboxSnapshot();
    }

    private static Set<String> deliveredOrWaiting(UplinkTap tap, OutboxSnapshot end) {
        Set<String> keys = tap.deliveredKeys();
        keys.addAll(end.keys());
        return keys;
    }

    private static int sumReadings(HeadendSimulator headend) {
        return METERS.stream().mapToInt(m -> headend.readings(GATEWAY, m).size()).sum();
    }
}
