// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.headendsim.EmbeddedBroker;
import org.metergate.headendsim.HeadendSimulator;
import org.metergate.headendsim.Observation;
import org.metergate.headendsim.Pki;
import org.metergate.headendsim.TcpProxy;
import org.metergate.simulator.Fault;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.SimulatedMeter;

import com.google.gson.JsonObject;

/**
 * The broker is down for a long time while twenty meters keep being read once a second (hours of a real
 * installation's quarter-hourly readings, compressed into seconds): the shipped gateway buffers everything
 * in its outbox, and when the broker is back it sends the alarms first and then the whole backlog, each meter
 * in order. Counted exactly: the head-end ends up with every readout each simulated meter served, once, and
 * with nothing the outbox did not accept.
 *
 * <p>The broker restarts empty (in memory), as a broker without persistence would: the gateway's session is
 * gone and it must resend from its own outbox. The head-end simulator goes down and comes back with its
 * broker; the gateway reaches the broker through a relay that stays closed until the head-end has subscribed
 * again, so no message is published to nobody.
 */
class BrokerOutageIT {

    private static final String GATEWAY = "gw-outage";
    private static final List<String> METERS = IntStream.rangeClosed(1, 20).mapToObj(i -> String.format("m%02d", i))
            .toList();
    /** Outbox messages the outage adds at least (readouts of one meter each). */
    private static final int BACKLOG = 600;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path pkiDir;

    @Test
    @Timeout(300)
    void everythingReadDuringALongBrokerOutageIsDeliveredInOrderAndCountedExactly() throws Exception {
        Pki pki = Pki.create(pkiDir);
        MeterFleet.Builder fleetBuilder = MeterFleet.builder().wireSpeed(false);
        for (int i = 0; i < METERS.size(); i++) {
            fleetBuilder.add(SimulatedMeter.builder(METERS.get(i)).seed(i + 1).reactionTime(Duration.ofMillis(20)).build(), 0);
        }
        try (MeterFleet fleet = fleetBuilder.start();
                EmbeddedBroker broker = EmbeddedBroker.mutualTls(pki).build().start();
                TcpProxy link = new TcpProxy(broker.port());
                HeadendSimulator before = headend(broker, pki);
                GatewayProcess gateway = GatewayProcess.copyOfDistribution(GATEWAY)) {
            // the link's default batch limits (readings and bytes per message) on the gateway's small heap
            gateway.writeHeadendConfig(link.uri("ssl"), Map.of());
            gateway.writeConf("org.metergate.metering.cfg", "workerThreads=8\nlogReadings=false\n");
            for (String meter : METERS) {
                // no retries: a meter that falls silent is unreachable at its next poll
                gateway.writeMeterConfig(meter, fleet.tcpPort(meter), 1, Map.of("retries", "0"));
            }
            gateway.start();
            assertThat(gateway.commission(pki)).doesNotContain("NOT installed");
            for (String meter : METERS) {
                before.awaitReadings(GATEWAY, meter, 1, WAIT);
            }
            phase("online");

            // the broker goes down, and the head-end with it; every meter keeps being read
            link.down(true);
            broker.stop();
            before.close();
            gateway.awaitCommandOutput("metergate:headend", out -> out.contains("state ")
                    && !out.contains("state        CONNECTED"), WAIT);
            int atOutage = gateway.backlog();
            gateway.awaitBacklog(atOutage + BACKLOG, Duration.ofSeconds(180));
            phase("backlog built");

            // production ends: the meters fall silent and each becomes unreachable, which queues an alarm
            Instant silenceFrom = Instant.now();
            fleet.meters().forEach(m -> m.injectFault(Fault.SILENT));
            gateway.awaitCommandOutput("mg:meters", out -> GatewayUnderTest.occurrences(out, "UNREACHABLE") == METERS.size(), WAIT);
            Map<String, Long> served = new LinkedHashMap<>();
            METERS.forEach(m -> served.put(m, fleet.meter(m).counters().readoutsCompleted()));
            int buffered = gateway.backlog();
            assertThat(buffered).as("nothing left the gateway during the outage")
                    .isGreaterThanOrEqualTo(atOutage + BACKLOG + METERS.size());
            phase("meters silent");

            // the broker is back, empty, and the head-end has subscribed again before the gateway can reach it
            broker.start();
            try (HeadendSimulator after = headend(broker, pki)) {
                link.down(false);
                gateway.awaitCommandOutput("metergate:headend", out -> out.contains("state        CONNECTED")
                        && out.contains("backlog      0 messages"), WAIT);
                phase("drained");
                gateway.stop();
                OutboxSnapshot end = gateway.outboxSnapshot();
                assertThat(end.waiting()).isEmpty();

                // counted exactly: every readout each meter served arrived once and complete, and nothing else
                // a readout the meter finished sending is missing only if the gateway gave up on that read (its byte
                // timeout ran out as the last bytes came, on a machine busy enough to stall it): it logged it
                Map<String, Long> failedReads = failedReadsBefore(gateway.log(), silenceFrom);
                awaitEveryServedReadout(gateway, served, failedReads, before, after);
                long readouts = 0;
                for (String meter : METERS) {
                    Map<String, List<JsonObject>> perReadout = readouts(meter, before, after);
                    assertThat((long) perReadout.size()).as("distinct readouts of %s at the head-end", meter)
                            .isLessThanOrEqualTo(served.get(meter))
                            .isGreaterThanOrEqualTo(served.get(meter) - failedReads.getOrDefault(meter, 0L));
                    assertThat(perReadout.values().stream().map(List::size).distinct())
                            .as("readings per readout of %s", meter).hasSize(1);
                    assertThat(perReadout.values().stream().map(r -> Instant.parse(r.get(0).get("ts").getAsString())))
                            .as("readouts of %s in the order they were taken", meter).isSorted();
                    readouts += perReadout.size();
                }
                Set<String> events = new HashSet<>();
                List<Observation> alarms = new ArrayList<>(before.observations(GATEWAY, "events"));
                alarms.addAll(after.observations(GATEWAY, "events"));
                alarms.forEach(o -> events.add(o.msgId()));
                assertThat(alarms.stream().filter(e -> "meter-unreachable".equals(text(e, "type"))).map(e -> text(e, "meter"))
                        .distinct()).containsExactlyInAnyOrderElementsOf(METERS);
                assertThat(readouts + events.size()).as("messages the outbox accepted (%d readouts, %d events)",
                        readouts, events.size()).isEqualTo(end.accepted());
                assertThat(before.orderingViolations()).isEmpty();
                assertThat(after.orderingViolations()).isEmpty();

                // after the outage the alarms went out before the backlog of readings
                List<String> topics = after.observations().stream().filter(o -> o.gateway().equals(GATEWAY))
                        .map(Observation::topic).toList();
                assertThat(topics).contains("events", "readings");
                assertThat(topics.lastIndexOf("events")).as("last alarm before the first readings")
                        .isLessThan(topics.indexOf("readings"));

                System.out.printf("BrokerOutageIT: %d meters, %d messages buffered during the outage, %d accepted in "
                        + "all (%d readouts, %d events); repeats dropped by the head-end after the outage: %d messages, "
                        + "%d readings%n", METERS.size(), buffered - atOutage, end.accepted(), readouts, events.size(),
                        after.duplicatesDropped(), after.duplicateReadingsDropped());
            }
        }
    }

    /** Reads of each meter the gateway logged as failed ("m01 is unreachable: ...") up to the second given. */
    private static Map<String, Long> failedReadsBefore(String log, Instant until) {
        Map<String, Long> failed = new LinkedHashMap<>();
        for (String line : log.split("\n")) {
            int space = line.indexOf(' ');
            if (space < 0 || !line.contains(" is unreachable: ")) {
                continue;
            }
            try {
                if (Instant.parse(line.substring(0, space)).isAfter(until)) {
                    continue;
                }
            } catch (java.time.format.DateTimeParseException e) {
                continue;
            }
            METERS.stream().filter(m -> line.contains("] " + m + " is unreachable: ")).findFirst()
                    .ifPresent(m -> failed.merge(m, 1L, Long::sum));
        }
        return failed;
    }

    /**
     * Waits for the head-end to hold every readout the meters served, less the reads the gateway logged as
     * failed; fails with what is missing and the gateway's warnings about those meters.
     */
    private static void awaitEveryServedReadout(GatewayProcess gateway, Map<String, Long> served,
            Map<String, Long> failedReads, HeadendSimulator before, HeadendSimulator after) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, String> short_ = new LinkedHashMap<>();
        do {
            short_.clear();
            for (String m : METERS) {
                int arrived = readouts(m, before, after).size();
                if (arrived < served.get(m) - failedReads.getOrDefault(m, 0L)) {
                    short_.put(m, arrived + " of " + served.get(m) + " (failed reads logged: "
                            + failedReads.getOrDefault(m, 0L) + ")");
                }
            }
            if (short_.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        StringBuilder why = new StringBuilder();
        for (String line : gateway.log().split("\n")) {
            if (short_.keySet().stream().anyMatch(m -> line.contains(m + " ") || line.contains(m + ":"))
                    && (line.contains("WARN") || line.contains("ERROR"))) {
                why.append("\n  ").append(line);
            }
        }
        throw new AssertionError("readouts at the head-end / served by the meter: " + short_
                + "; the gateway's warnings about those meters:" + why);
    }

    private static HeadendSimulator headend(EmbeddedBroker broker, Pki pki) throws Exception {
        return HeadendSimulator.connectTo(broker.uri()).tls(pki.clientContext(Pki.HEADEND_CN)).start();
    }

    private final long started = System.nanoTime();

    /** Progress in the test output, so a slow phase shows. */
    private void phase(String name) {
        System.out.printf("BrokerOutageIT: %-14s at %5.1f s%n", name, (System.nanoTime() - started) / 1e9);
    }

    /**
     * Distinct readouts of a meter, each with its readings, in the order they reached the head-end: what
     * arrived before the outage, then what arrived after it that the head-end did not have yet (a message
     * in flight when the broker stopped is sent again).
     */
    private static Map<String, List<JsonObject>> readouts(String meter, HeadendSimulator before, HeadendSimulator after) {
        Map<String, List<JsonObject>> byReadout = new LinkedHashMap<>();
        Set<String> seenBefore = new HashSet<>();
        for (JsonObject r : before.readings(GATEWAY, meter)) {
            String key = DeliveryKeys.readout(r);
            seenBefore.add(key);
            byReadout.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        for (JsonObject r : after.readings(GATEWAY, meter)) {
            String key = DeliveryKeys.readout(r);
            if (!seenBefore.contains(key)) {
                byReadout.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            }
        }
        return byReadout;
    }

    private static String text(Observation o, String field) {
        JsonObject p = o.payload();
        return p != null && p.has(field) ? p.get(field).getAsString() : null;
    }

}
