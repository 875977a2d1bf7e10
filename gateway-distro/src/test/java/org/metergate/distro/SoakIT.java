// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.TokenState;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.headendsim.EmbeddedBroker;
import org.metergate.headendsim.HeadendSimulator;
import org.metergate.headendsim.Observation;
import org.metergate.headendsim.Pki;
import org.metergate.headendsim.TcpProxy;
import org.metergate.simulator.Fault;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.SimulatedMeter;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.JwsTokenVerifier;
import org.metergate.simulator.dlms.MeterFirmware;
import org.metergate.simulator.dlms.SlotConsumptionModel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

/**
 * Soak mode, not part of CI: the shipped gateway runs for {@code -Dsoak.minutes=N} minutes of wall time while a
 * seeded random schedule switches meter faults on and off, cuts the broker link or keeps it down for a while,
 * kills the gateway with {@code kill -9} or restarts it cleanly, and pays credit tokens into a DLMS prepaid meter.
 * IEC 62056-21 meters are read every second; the DLMS meter's clock runs {@value #SPEED_UP} times faster, so its
 * consumption (and its readings' time) advances by hours in minutes.
 *
 * <p>At the end the faults stop, every token is pushed once more (a kill can lose a push before the ledger saw
 * it), the meters fall silent, the backlog drains and the gateway stops cleanly. Then, exactly:
 * <ul>
 * <li>every message the outbox ever accepted reached the head-end, nothing else arrived, nothing is left waiting;
 * <li>each IEC meter's readouts at the head-end (after de-duplication) are the readouts the meter served, minus at
 * most one per gateway interruption (a readout the meter finished just before a kill or stop, never stored); the
 * number of such readouts is counted and printed;
 * <li>every token is applied exactly once: the meter's token credit is the initial credit plus the sum of the
 * distinct tokens minus the energy the meter charged for (its own import register between the two looks, at the
 * tariff), each token id is in its used-token list and in the gateway's ledger as done with {@code execution-ok};
 * <li>the head-end saw no ordering violation.
 * </ul>
 *
 * <p>{@code mvn -B -o -pl gateway-distro verify -Dit.test=SoakIT -Dsoak.minutes=60 [-Dsoak.seed=42]}; the seed is
 * printed and fixes the schedule (the interleaving with the gateway's own timing still varies).
 */
class SoakIT {

    private static final String GATEWAY = "gw-soak";
    private static final List<String> IEC_METERS = IntStream.rangeClosed(1, 6).mapToObj(i -> "i" + i).toList();
    private static final String DLMS_METER = "d1";
    private static final String KID = "soak-headend";
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** Simulated seconds per real second on the DLMS meter: a quarter-hour profile slot every 15 s. */
    private static final double SPEED_UP = 60;
    /** 10.00 per kWh in cents: one cent per Wh, so every charge is a whole number of minor units. */
    private static final long TARIFF_MINOR_PER_KWH = 1000;
    /** Large enough that consumption never runs it out: no emergency credit, no disconnection to account for. */
    private static final long INITIAL_CREDIT = 100_000_000;
    private static final List<Fault> IEC_FAULTS = List.of(Fault.SILENT, Fault.TRUNCATED_BLOCK, Fault.SLOW_REACTION);

    enum Action {
        TOKEN, IEC_FAULT, DLMS_FAULT, LINK_CUT, BROKER_OUTAGE, KILL, RESTART, NOTHING
    }

    @TempDir
    Path pkiDir;
    @TempDir
    Path stateDir;

    private final ECKey headendKey;
    private final PrepaidGateway prepaid;

    SoakIT() throws Exception {
        headendKey = new ECKeyGenerator(Curve.P_256).keyID(KID).generate();
        prepaid = new PrepaidGateway(headendKey);
    }

    @Test
    void readingsEventsAndCreditReconcileAfterFaultsOutagesAndRestarts() throws Exception {
        Integer minutes = Integer.getInteger("soak.minutes");
        assumeTrue(minutes != null && minutes > 0, "soak mode runs only with -Dsoak.minutes=N, e.g. "
                + "mvn -B -o -pl gateway-distro verify -Dit.test=SoakIT -Dsoak.minutes=60");
        long seed = Long.getLong("soak.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("SoakIT: %d minutes, seed %d%n", minutes, seed);

        Pki pki = Pki.create(pkiDir);
        java.security.interfaces.ECPublicKey publicKey = headendKey.toECPublicKey();
        MeterFleet.Builder fleetBuilder = MeterFleet.builder().wireSpeed(false);
        for (int i = 0; i < IEC_METERS.size(); i++) {
            fleetBuilder.add(SimulatedMeter.builder(IEC_METERS.get(i)).seed(i + 1).reactionTime(Duration.ofMillis(20))
                    .build(), 0);
        }
        try (MeterFleet fleet = fleetBuilder.start();
                DlmsSimulator sim = DlmsSimulator.builder().count(1).seed(31).stateDir(stateDir).speedUp(SPEED_UP)
                        .configure(c -> c.currency("EUR", 2).tariffMinorPerKwh(TARIFF_MINOR_PER_KWH)
                                .initialCreditMinor(INITIAL_CREDIT).controlMode(2)
                                .tokenVerifier(new JwsTokenVerifier(Map.of(KID, publicKey), null,
                                        Clock.systemUTC(), Duration.ofMinutes(5))))
                        .start();
                EmbeddedBroker broker = EmbeddedBroker.mutualTls(pki).build().start();
                TcpProxy link = new TcpProxy(broker.port());
                HeadendSimulator headend = HeadendSimulator.connectTo(broker.uri())
                        .tls(pki.clientContext(Pki.HEADEND_CN)).start();
                UplinkTap tap = UplinkTap.connect(broker.uri(), pki.clientContext(Pki.HEADEND_CN), GATEWAY);
                GatewayProcess gateway = GatewayProcess.copyOfDistribution(GATEWAY)) {
            DlmsMeter dlms = sim.meters().get(0);
            CreditLook start = CreditLook.of(dlms.firmware());

            gateway.writeHeadendConfig(link.uri("ssl"), Map.of());
            prepaid.configurePrepay(gateway, DLMS_METER, dlms);
            for (String meter : IEC_METERS) {
                // no retries: a faulty readout is simply missed, the next poll is a second later
                gateway.writeMeterConfig(meter, fleet.tcpPort(meter), 1, Map.of("retries", "0"));
            }
            gateway.start();
            assertThat(gateway.commission(pki)).doesNotContain("NOT installed");
            PrepaidGateway.enterKeys(gateway, DLMS_METER, dlms);
            PrepaidGateway.writeDlmsMeterConfig(gateway, DLMS_METER, dlms, 5);
            headend.awaitState(GATEWAY, "online", WAIT);
            headend.awaitReadings(GATEWAY, DLMS_METER, 1, WAIT);

            Schedule schedule = new Schedule(random, fleet, dlms, link, gateway, headend);
            long end = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
            while (System.nanoTime() < end) {
                schedule.step();
            }

            // the end: no more faults, every token pushed again until the meter applied each one
            schedule.calm();
            headend.awaitState(GATEWAY, "online", WAIT);
            Map<String, Long> amounts = schedule.amounts();
            Set<String> used = dlms.firmware().usedTokenIds();
            long repushed = 0;
            for (Map.Entry<String, String> t : schedule.tokens().entrySet()) {
                headend.sendToken(GATEWAY, t.getValue(), WAIT);
                repushed += used.contains(t.getKey()) ? 0 : 1;
            }
            GatewayUnderTest.awaitTrue("the meter to have applied every token", WAIT,
                    () -> dlms.firmware().usedTokenIds().containsAll(amounts.keySet()));
            GatewayUnderTest.awaitTrue("a final receipt for every token", WAIT,
                    () -> amounts.keySet().stream().allMatch(jti -> hasReceipt(headend, jti, "balance")
                            || hasReceipt(headend, jti, "duplicate")));

            // the meters fall silent and become unreachable; then nothing new enters the outbox
            fleet.meters().forEach(m -> m.injectFault(Fault.SILENT));
            dlms.faults().noAnswer(true);
            gateway.awaitCommandOutput("mg:meters", out -> GatewayUnderTest.occurrences(out, "UNREACHABLE") == IEC_METERS.size() + 1,
                    WAIT);
            Map<String, Long> served = new TreeMap<>();
            IEC_METERS.forEach(m -> served.put(m, fleet.meter(m).counters().readoutsCompleted()));
            CreditLook finish = CreditLook.of(dlms.firmware());
            gateway.awaitCommandOutput("metergate:headend", out -> out.contains("state        CONNECTED")
                    && out.contains("backlog      0 messages"), WAIT);
            gateway.stop();
            OutboxSnapshot outbox = gateway.outboxSnapshot();

            // nothing waits; whatever waited at a kill arrived. The DLMS meter's messages carry load-profile captures
            // of many times each, so they have no delivery key: the IEC readouts, events and receipts account for
            // all the others, and the DLMS readings are checked against the meter's own profile below
            assertThat(outbox.waiting()).as("messages still waiting after the drain").isEmpty();
            GatewayUnderTest.awaitTrue("everything that waited at a kill at the tap", WAIT,
                    () -> tap.deliveredKeys().containsAll(schedule.waitedAtAKill));
            Set<String> delivered = tap.deliveredKeys();
            delivered.removeIf(k -> k.startsWith(DLMS_METER + "|"));
            assertThat(tap.unreadable()).isEmpty();
            long dlmsMessages = outbox.accepted() - delivered.size();
            assertThat(dlmsMessages).as("outbox messages (%d accepted) beyond the %d IEC readouts, events and receipts "
                    + "delivered: the DLMS meter's", outbox.accepted(), delivered.size()).isPositive();

            // DLMS: every quarter-hour capture from the first one read to the last, once, as the meter recorded it
            long captures = reconcileProfile(headend.readings(GATEWAY, DLMS_METER), dlms.firmware());

            // IEC readouts: what each meter served, once, short by at most one per interruption
            long missing = 0;
            long readouts = 0;
            for (String meter : IEC_METERS) {
                List<JsonObject> readings = headend.readings(GATEWAY, meter);
                assertThat(readings.stream().map(r -> r.get("id").getAsString()).distinct())
                        .as("reading ids of %s at the head-end", meter).hasSameSizeAs(readings);
                Set<String> atHeadend = readings.stream().map(DeliveryKeys::readout).collect(Collectors.toSet());
                Set<String> atTap = delivered.stream().filter(k -> k.startsWith(meter + "|")).collect(Collectors.toSet());
                assertThat(atHeadend).as("readouts of %s at the head-end vs. on the wire", meter).isEqualTo(atTap);
                long lost = served.get(meter) - atHeadend.size();
                assertThat(lost).as("readouts of %s served (%d) but not at the head-end (%d), with %d interruptions",
                        meter, served.get(meter), atHeadend.size(), schedule.interruptions)
                        .isBetween(0L, (long) schedule.interruptions);
                missing += lost;
                readouts += atHeadend.size();
            }

            // tokens: each applied exactly once, and the credit is what the meter's own register says it should be
            long paid = amounts.values().stream().mapToLong(Long::longValue).sum();
            long charged = (finish.importWh() - start.importWh()) * TARIFF_MINOR_PER_KWH / 1000;
            assertThat(finish.tokenCreditMinor()).as("token credit = %d initial + %d paid (%d tokens) - %d charged",
                    start.tokenCreditMinor(), paid, amounts.size(), charged)
                    .isEqualTo(start.tokenCreditMinor() + paid - charged);
            assertThat(dlms.firmware().usedTokenIds()).containsAll(amounts.keySet());
            LedgerSnapshot ledger = LedgerSnapshot.read(gateway.database(),
                    Files.createDirectories(gateway.home().resolve("snapshots")), amounts.keySet());
            for (String jti : amounts.keySet()) {
                LedgerEntry entry = ledger.entry(jti).orElseThrow(() -> new AssertionError("not in the ledger: " + jti));
                assertThat(entry.state()).as("state of %s", jti).isEqualTo(TokenState.DONE);
                assertThat(entry.outcome()).as("outcome of %s", jti).startsWith("meter-result 3 execution-ok");
                assertThat(entry.amountMinor()).isEqualTo(amounts.get(jti));
            }
            assertThat(headend.orderingViolations()).isEmpty();

            Map<String, Long> eventTypes = headend.observations(GATEWAY, "events").stream()
                    .collect(Collectors.groupingBy(o -> text(o, "type"), TreeMap::new, Collectors.counting()));
            long receipts = delivered.size() - readoutKeys(delivered) - eventTypes.values().stream()
                    .mapToLong(Long::longValue).sum();
            System.out.printf("SoakIT: seed %d, %d min; actions %s; faults per kind %s%n", seed, minutes,
                    schedule.actions, schedule.faults);
            System.out.printf("SoakIT: outbox accepted %d = %d IEC readouts, events and receipts delivered + %d DLMS "
                    + "messages (%d repeated on the wire, head-end dropped %d messages / %d readings as repeats)%n",
                    outbox.accepted(), delivered.size(), dlmsMessages, tap.repeatedKeys().size(),
                    headend.duplicatesDropped(), headend.duplicateReadingsDropped());
            System.out.printf("SoakIT: IEC readouts served %d, at the head-end %d, lost at %d interruptions %d; "
                    + "DLMS profile captures %d; events %s; receipts %d%n", served.values().stream()
                    .mapToLong(Long::longValue).sum(), readouts, schedule.interruptions, missing, captures, eventTypes,
                    receipts);
            System.out.printf("SoakIT: tokens %d (pushed again at the end and new to the meter: %d), paid %d, charged "
                    + "%d for %d Wh over %d profile slots, credit %d -> %d%n", amounts.size(), repushed, paid, charged,
                    finish.importWh() - start.importWh(), finish.slot() - start.slot(), start.tokenCreditMinor(),
                    finish.tokenCreditMinor());
        }
    }

    /**
     * The meter's token credit and its import register at the boundary of the slot it has charged up to, taken
     * within one slot: the firmware charges each finished quarter-hour's import at the tariff.
     */
    record CreditLook(long slot, long tokenCreditMinor, long importWh) {
        static CreditLook of(MeterFirmware firmware) {
            while (true) {
                long slot = SlotConsumptionModel.slotOf(firmware.now());
                long credit = firmware.tokenCreditMinor();
                if (SlotConsumptionModel.slotOf(firmware.now()) == slot) {
                    return new CreditLook(slot, credit, firmware.captureAt(slot)[1]);
                }
            }
        }
    }

    /** The seeded random schedule of what happens next, and the counts of what it did. */
    private final class Schedule {
        private final Random random;
        private final MeterFleet fleet;
        private final DlmsMeter dlms;
        private final TcpProxy link;
        private final GatewayProcess gateway;
        private final HeadendSimulator headend;
        private final Map<String, String> tokens = new LinkedHashMap<>();
        private final Map<String, Long> amounts = new LinkedHashMap<>();
        private final List<Runnable> pendingRepairs = new ArrayList<>();
        private final List<Long> repairTimes = new ArrayList<>();
        final Map<Action, Integer> actions = new EnumMap<>(Action.class);
        final Map<String, Integer> faults = new TreeMap<>();
        int interruptions;
        final Set<String> waitedAtAKill = new java.util.HashSet<>();
        private long outageUntil;
        private long lastStart = System.nanoTime();

        Schedule(Random random, MeterFleet fleet, DlmsMeter dlms, TcpProxy link, GatewayProcess gateway,
                HeadendSimulator headend) {
            this.random = random;
            this.fleet = fleet;
            this.dlms = dlms;
            this.link = link;
            this.gateway = gateway;
            this.headend = headend;
        }

        void step() throws Exception {
            Thread.sleep(300 + random.nextInt(1200));
            repairDue();
            Action action = pick();
            switch (action) {
                case TOKEN -> {
                    String jti = "soak-" + tokens.size() + "-" + Long.toHexString(random.nextLong());
                    long amount = 1 + random.nextInt(5_000);
                    String token = prepaid.sign(jti, dlms.config().serial(), amount);
                    tokens.put(jti, token);
                    amounts.put(jti, amount);
                    headend.sendToken(GATEWAY, token, WAIT);
                }
                case IEC_FAULT -> {
                    SimulatedMeter meter = fleet.meter(IEC_METERS.get(random.nextInt(IEC_METERS.size())));
                    Fault fault = IEC_FAULTS.get(random.nextInt(IEC_FAULTS.size()));
                    if (fault == Fault.SLOW_REACTION) {
                        meter.injectSlowReaction(Duration.ofMillis(300)); // slow, within the 2 s timeout
                    } else {
                        meter.injectFault(fault);
                    }
                    faults.merge(fault.name(), 1, Integer::sum);
                    repairLater(2_000 + random.nextInt(8_000), () -> meter.clearFault(fault));
                }
                case DLMS_FAULT -> {
                    if (random.nextBoolean()) {
                        dlms.faults().noAnswer(true);
                        faults.merge("DLMS_NO_ANSWER", 1, Integer::sum);
                        repairLater(2_000 + random.nextInt(6_000), () -> dlms.faults().noAnswer(false));
                    } else {
                        dlms.faults().answerDelay(Duration.ofMillis(200));
                        faults.merge("DLMS_SLOW", 1, Integer::sum);
                        repairLater(2_000 + random.nextInt(6_000), () -> dlms.faults().answerDelay(Duration.ZERO));
                    }
                }
                case LINK_CUT -> link.cut();
                case BROKER_OUTAGE -> {
                    link.down(true);
                    link.cut();
                    int millis = 3_000 + random.nextInt(15_000);
                    outageUntil = System.nanoTime() + millis * 1_000_000L;
                    repairLater(millis, () -> link.down(false));
                }
                case KILL -> {
                    gateway.kill();
                    interruptions++;
                    waitedAtAKill.addAll(keysOutsideDlms(gateway.outboxSnapshot()));
                    gateway.start();
                    lastStart = System.nanoTime();
                }
                case RESTART -> {
                    gateway.stop();
                    interruptions++;
                    gateway.start();
                    lastStart = System.nanoTime();
                }
                case NOTHING -> {
                }
            }
            actions.merge(action, 1, Integer::sum);
        }

        private Action pick() {
            int roll = random.nextInt(100);
            long now = System.nanoTime();
            boolean settled = now - lastStart > Duration.ofSeconds(12).toNanos();
            if (roll < 25) {
                return Action.TOKEN;
            } else if (roll < 45) {
                return Action.IEC_FAULT;
            } else if (roll < 55) {
                return Action.DLMS_FAULT;
            } else if (roll < 63) {
                return Action.LINK_CUT;
            } else if (roll < 70) {
                return now > outageUntil ? Action.BROKER_OUTAGE : Action.NOTHING;
            } else if (roll < 80) {
                return settled ? Action.KILL : Action.NOTHING;
            } else if (roll < 85) {
                return settled ? Action.RESTART : Action.NOTHING;
            }
            return Action.NOTHING;
        }

        private void repairLater(int millis, Runnable repair) {
            pendingRepairs.add(repair);
            repairTimes.add(System.nanoTime() + millis * 1_000_000L);
        }

        private void repairDue() {
            long now = System.nanoTime();
            for (int i = pendingRepairs.size() - 1; i >= 0; i--) {
                if (repairTimes.get(i) <= now) {
                    pendingRepairs.remove(i).run();
                    repairTimes.remove(i);
                }
            }
        }

        /** Every fault off, the link up, the gateway running. */
        void calm() throws Exception {
            pendingRepairs.forEach(Runnable::run);
            pendingRepairs.clear();
            repairTimes.clear();
            fleet.meters().forEach(SimulatedMeter::clearFaults);
            dlms.faults().clear();
            link.down(false);
            if (!gateway.isRunning()) {
                gateway.start();
            }
        }

        Map<String, String> tokens() {
            return tokens;
        }

        Map<String, Long> amounts() {
            return amounts;
        }
    }

    /** Delivery keys of the waiting messages, but for the DLMS meter's (profile captures of many times). */
    private static Set<String> keysOutsideDlms(OutboxSnapshot snapshot) {
        Set<String> keys = new java.util.HashSet<>();
        for (OutboxMessage m : snapshot.waiting()) {
            JsonElement doc = JsonParser.parseString(m.payload());
            boolean dlms = m.kind() == MessageKind.READING && doc.isJsonArray() && doc.getAsJsonArray().size() > 0
                    && DLMS_METER.equals(doc.getAsJsonArray().get(0).getAsJsonObject().get("meter").getAsString());
            if (m.kind() == MessageKind.READING && !doc.isJsonArray()) {
                continue; // a daily/v1 document travels with the readings, not as readings
            }
            if (!dlms) {
                keys.add(DeliveryKeys.of(m));
            }
        }
        return keys;
    }

    /**
     * The DLMS meter's import captures at the head-end (readings of 1-0:1.8.0 at quarter-hour boundaries): one per
     * slot from the first to the last, none missing, each with the value of the meter's own capture. Returns how
     * many there are.
     */
    private static long reconcileProfile(List<JsonObject> readings, MeterFirmware firmware) {
        TreeMap<Long, BigDecimal> importAt = new TreeMap<>();
        for (JsonObject r : readings) {
            long second = Instant.parse(r.get("ts").getAsString()).getEpochSecond();
            if (r.get("obis").getAsString().startsWith("1-0:1.8.0") && second % SlotConsumptionModel.SLOT_SECONDS == 0
                    && Instant.parse(r.get("ts").getAsString()).getNano() == 0) {
                BigDecimal wh = r.get("value").getAsBigDecimal().scaleByPowerOfTen(r.get("scaler").getAsInt());
                BigDecimal before = importAt.put(second / SlotConsumptionModel.SLOT_SECONDS, wh);
                assertThat(before == null || before.compareTo(wh) == 0).as("one import value per capture").isTrue();
            }
        }
        assertThat(importAt).as("load-profile captures of %s at the head-end", DLMS_METER).isNotEmpty();
        long first = importAt.firstKey();
        long last = importAt.lastKey();
        assertThat(importAt.keySet()).as("captures of %s from slot %d to %d without a gap", DLMS_METER, first, last)
                .hasSize((int) (last - first + 1));
        importAt.forEach((slot, wh) -> assertThat(wh.compareTo(BigDecimal.valueOf(firmware.captureAt(slot)[1])))
                .as("import at slot %d: head-end %s Wh vs. meter %d Wh", slot, wh, firmware.captureAt(slot)[1])
                .isZero());
        return importAt.size();
    }

    private static boolean hasReceipt(HeadendSimulator headend, String jti, String stage) {
        return headend.observations(GATEWAY, "credit/receipts").stream()
                .anyMatch(o -> PrepaidGateway.isReceipt(o, jti, stage));
    }

    private static long readoutKeys(Set<String> keys) {
        return keys.stream().filter(k -> k.contains("|")).count();
    }

    private static String text(Observation o, String field) {
        JsonObject p = o.payload();
        return p != null && p.has(field) ? p.get(field).getAsString() : "?";
    }

}
