// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.metergate.dlms.internal.TestConfigs.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.cosem.AccessResult;
import org.metergate.api.cosem.CosemAccessException;
import org.metergate.api.cosem.CosemAttribute;
import org.metergate.api.cosem.CosemData;
import org.metergate.api.cosem.CosemDateTime;
import org.metergate.api.cosem.CosemMethod;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.cosem.SelectiveAccess;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.Reading;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.SimClock;

/** The driver (jDLMS client over the TCP wrapper) against the DLMS meter simulator (jDLMS server). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DlmsMeterAgainstSimulatorTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:07:00Z");
    private static final CosemAttribute DISCONNECT_OUTPUT = CosemAttribute.of(70, "0-0:96.3.10.255", 2);
    private static final CosemMethod REMOTE_DISCONNECT = CosemMethod.of(70, "0-0:96.3.10.255", 1);
    private static final CosemMethod REMOTE_RECONNECT = CosemMethod.of(70, "0-0:96.3.10.255", 2);

    @TempDir
    Path dataDir;
    @TempDir
    Path stateDir;

    private DlmsSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private DlmsMeter startSimulator() throws IOException {
        sim = DlmsSimulator.builder().count(1).seed(7).stateDir(stateDir).clock(SimClock.frozenAt(NOW))
                .configure(c -> c.controlMode(2).acceptTestTokens(true)).start();
        return sim.meters().get(0);
    }

    private final InMemoryMeterKeys keys = new InMemoryMeterKeys();

    private void writeKeys(DlmsMeter meter, byte[] authentication, byte[] encryption) {
        keys.put("m1", InMemoryMeterKeys.AUTHENTICATION, authentication);
        keys.put("m1", InMemoryMeterKeys.ENCRYPTION, encryption);
    }

    private org.metergate.dlms.internal.DlmsMeter driver(DlmsMeter meter, Object... keyValues) throws IOException {
        if (keys.key("m1", InMemoryMeterKeys.AUTHENTICATION).isEmpty()) {
            writeKeys(meter, meter.config().authenticationKey(), meter.config().encryptionKey());
        }
        org.metergate.dlms.internal.DlmsMeter driver =
                new org.metergate.dlms.internal.DlmsMeter(java.time.Clock.systemUTC(), dataDir, keys);
        Object[] all = new Object[keyValues.length + 4];
        all[0] = "link";
        all[1] = "tcp://127.0.0.1:" + meter.wrapperPort();
        all[2] = "responseTimeoutMs";
        all[3] = 2000;
        System.arraycopy(keyValues, 0, all, 4, keyValues.length);
        driver.configure(config(all), "fallback");
        return driver;
    }

    @Test
    void readsRegistersWithScalerUnitAndTheMeterClock() throws Exception {
        DlmsMeter meter = startSimulator();
        MeterReadout readout;
        try (CosemSession session = driver(meter).open()) {
            readout = session.readRegisters();
        }
        Map<String, Reading> byObis = readout.readings().stream()
                .collect(Collectors.toMap(r -> r.obis().toString(), Function.identity()));
        assertThat(byObis).containsKeys("1-0:1.8.0*255", "1-0:1.8.1*255", "1-0:1.8.2*255", "1-0:2.8.0*255",
                "1-0:32.7.0*255", "1-0:31.7.0*255", "1-0:1.7.0*255", "1-0:14.7.0*255");
        Reading energy = byObis.get("1-0:1.8.0*255");
        assertThat(energy.unit()).isEqualTo("Wh");
        assertThat(energy.scaler()).isZero();
        assertThat(energy.value().longValueExact()).isEqualTo(meter.firmware().importWh());
        Reading t1 = byObis.get("1-0:1.8.1*255");
        Reading t2 = byObis.get("1-0:1.8.2*255");
        assertThat(t1.value().add(t2.value())).isEqualByComparingTo(energy.value());
        Reading voltage = byObis.get("1-0:32.7.0*255");
        assertThat(voltage.unit()).isEqualTo("V");
        assertThat(voltage.scaler()).isEqualTo(-1);
        assertThat(voltage.scaledValue().doubleValue()).isBetween(180.0, 260.0);
        assertThat(byObis.get("1-0:31.7.0*255").unit()).isEqualTo("A");
        assertThat(byObis.get("1-0:14.7.0*255").unit()).isEqualTo("Hz");
        assertThat(byObis.get("1-0:1.7.0*255").unit()).isEqualTo("W");
        assertThat(readout.readAt()).isEqualTo(NOW);
        assertThat(energy.timestamp()).isEqualTo(NOW);
        assertThat(readout.identification()).isEqualTo(meter.config().systemTitleHex());
    }

    @Test
    void readsPrepaymentCreditAndRelayStateWithTheRegisters() throws Exception {
        DlmsMeter meter = startSimulator();
        MeterReadout readout;
        try (CosemSession session = driver(meter, "values",
                new String[] {"111/0-0:19.0.0.255/5/-2/EUR", "70/0-0:96.3.10.255/2"}).open()) {
            readout = session.readRegisters();
        }
        Map<String, Reading> byObis = readout.readings().stream()
                .collect(Collectors.toMap(r -> r.obis().toString(), Function.identity()));
        assertThat(byObis).hasSize(10).containsKey("1-0:1.8.0*255");
        Reading credit = byObis.get("0-0:19.0.0*255");
        assertThat(credit.value().longValueExact()).isEqualTo(meter.firmware().availableCreditMinor());
        assertThat(credit.scaler()).isEqualTo(-2);
        assertThat(credit.unit()).isEqualTo("EUR");
        assertThat(credit.timestamp()).isEqualTo(NOW);
        assertThat(byObis.get("0-0:96.3.10*255").value().intValueExact()).isEqualTo(1);
    }

    @Test
    void readsTheClockAndAProfileRangeWithExactlyTheCapturesInside() throws Exception {
        DlmsMeter meter = startSimulator();
        Instant from = Instant.parse("2026-03-01T12:00:00Z");
        Instant to = Instant.parse("2026-03-01T13:00:00Z");
        try (CosemSession session = driver(meter).open()) {
            CosemData clock = session.get(SelectiveAccess.CLOCK_TIME);
            assertThat(CosemDateTime.decode(clock)).map(OffsetDateTime::toInstant).contains(NOW);

            CosemData buffer = session.get(CosemAttribute.of(7, "1-0:99.1.0.255", 2),
                    SelectiveAccess.byClock(from, to));
            CosemData.ArrayData rows = (CosemData.ArrayData) buffer;
            assertThat(rows.size()).isEqualTo(5); // 12:00, 12:15, 12:30, 12:45, 13:00, both ends inclusive
            Instant expected = from;
            for (CosemData row : rows.elements()) {
                CosemData.Structure capture = (CosemData.Structure) row;
                assertThat(CosemDateTime.decode(capture.get(0))).map(OffsetDateTime::toInstant).contains(expected);
                expected = expected.plus(Duration.ofMinutes(15));
            }
            long first = ((CosemData.Structure) rows.get(0)).get(1).asLong();
            long last = ((CosemData.Structure) rows.get(4)).get(1).asLong();
            assertThat(last).isGreaterThanOrEqualTo(first);

            CosemData.ArrayData entries = (CosemData.ArrayData) session.get(
                    CosemAttribute.of(7, "1-0:99.1.0.255", 2), new SelectiveAccess.Entries(1, 3, 1, 2));
            assertThat(entries.size()).isEqualTo(3);
            assertThat(((CosemData.Structure) entries.get(0)).elements()).hasSize(2);
        }
    }

    @Test
    void disconnectsAndReconnectsAndReadsTheOutputStateBack() throws Exception {
        DlmsMeter meter = startSimulator();
        try (CosemSession session = driver(meter).open()) {
            assertThat(session.get(DISCONNECT_OUTPUT)).isEqualTo(new CosemData.BooleanData(true));
            session.action(REMOTE_DISCONNECT, CosemData.noParameter());
            assertThat(session.get(DISCONNECT_OUTPUT)).isEqualTo(new CosemData.BooleanData(false));
            assertThat(meter.firmware().relayConnected()).isFalse();
            session.action(REMOTE_RECONNECT, CosemData.noParameter());
            assertThat(session.get(DISCONNECT_OUTPUT)).isEqualTo(new CosemData.BooleanData(true));
            assertThat(meter.firmware().relayConnected()).isTrue();
        }
    }

    @Test
    void readsPrepaymentObjectsAndExplainsRefusals() throws Exception {
        DlmsMeter meter = startSimulator();
        try (CosemSession session = driver(meter).open()) {
            CosemData credit = session.get(CosemAttribute.of(111, "0-0:19.0.0.255", 5));
            assertThat(credit.asLong()).isEqualTo(meter.firmware().availableCreditMinor());
            CosemData status = session.get(CosemAttribute.of(115, "0-0:19.40.0.255", 6));
            assertThat(status).isInstanceOf(CosemData.Structure.class);

            assertThatThrownBy(() -> session.get(CosemAttribute.of(3, "1-0:99.99.99.255", 2)))
                    .isInstanceOfSatisfying(CosemAccessException.class, e -> {
                        assertThat(e.result()).isIn(AccessResult.OBJECT_UNDEFINED, AccessResult.OBJECT_UNAVAILABLE);
                        assertThat(e.reason()).isEqualTo(Reason.REFUSED);
                        assertThat(e.getMessage()).contains("m1", e.result().text(), "1-0:99.99.99*255");
                    });
            // the association survives a refused request
            assertThat(session.get(CosemAttribute.of(111, "0-0:19.0.0.255", 5)).asLong())
                    .isEqualTo(meter.firmware().availableCreditMinor());
        }
    }

    @Test
    void publicClientIsRefusedManagementObjects() throws Exception {
        DlmsMeter meter = startSimulator();
        try (CosemSession session = driver(meter, "clientId", 16, "authentication", "NONE").open()) {
            assertThat(session.readRegisters().readings()).isNotEmpty();
            assertThatThrownBy(() -> session.action(REMOTE_DISCONNECT, CosemData.noParameter()))
                    .isInstanceOf(CosemAccessException.class)
                    .hasMessageContaining("m1");
        }
        assertThat(meter.firmware().relayConnected()).isTrue();
    }

    @Test
    void wrongKeysAreRefusedWithAClearMessage() throws Exception {
        DlmsMeter meter = startSimulator();
        byte[] wrong = new byte[16];
        writeKeys(meter, wrong, meter.config().encryptionKey());
        assertThatThrownBy(() -> driver(meter).open())
                .isInstanceOfSatisfying(MeterException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.REFUSED);
                    assertThat(e.getMessage()).contains("refused the association",
                            "check the management client keys for meter m1", "client id");
                    assertThat(e.getMessage()).doesNotContain(HexFormat.of().formatHex(meter.config().encryptionKey()));
                });
    }

    @Test
    void invocationCounterSurvivesAGatewayRestart() throws Exception {
        DlmsMeter meter = startSimulator();
        long firstSessionCounter;
        try (CosemSession session = driver(meter).open()) {
            session.readRegisters();
            firstSessionCounter = ((DlmsSession) session).highestInvocationCounter();
        }
        assertThat(firstSessionCounter).isPositive();
        Path counterFile = dataDir.resolve("dlms-counters/m1-client1.counter");
        long stored = Long.parseLong(Files.readString(counterFile).strip());
        assertThat(stored).isGreaterThanOrEqualTo(firstSessionCounter);

        // a "gateway restart": a new driver instance over the same data directory
        try (CosemSession session = driver(meter).open()) {
            assertThat(session.readRegisters().readings()).isNotEmpty();
            assertThat(((DlmsSession) session).highestInvocationCounter()).isGreaterThan(stored);
        }
        assertThat(meter.firmware().invocationCounter()).isGreaterThan(stored);
    }

    @Test
    void meterAheadOfTheStoreIsFollowedThroughThePublicClient() throws Exception {
        DlmsMeter meter = startSimulator();
        try (CosemSession session = driver(meter).open()) {
            session.readRegisters();
        }
        long meterCounter = meter.firmware().invocationCounter();
        // the gateway lost its data directory: the meter's counter is read and continued
        Files.delete(dataDir.resolve("dlms-counters/m1-client1.counter"));
        try (CosemSession session = driver(meter).open()) {
            session.readRegisters();
            assertThat(((DlmsSession) session).highestInvocationCounter()).isGreaterThan(meterCounter);
        }
    }

    @Test
    void silenceIsNoAnswerWithinTheTimeout() throws Exception {
        DlmsMeter meter = startSimulator();
        org.metergate.dlms.internal.DlmsMeter driver = driver(meter, "responseTimeoutMs", 500);
        meter.faults().noAnswer(true);
        assertThatThrownBy(driver::open)
                .isInstanceOfSatisfying(MeterException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NO_ANSWER);
                    assertThat(e.getMessage()).contains("no answer from meter m1", "500 ms");
                });
        meter.faults().noAnswer(false);
        try (CosemSession session = driver.open()) {
            assertThat(session.readRegisters().readings()).isNotEmpty();
        }
    }

    @Test
    void silenceInTheMiddleOfASessionEndsItWithNoAnswer() throws Exception {
        DlmsMeter meter = startSimulator();
        try (CosemSession session = driver(meter, "responseTimeoutMs", 500).open()) {
            meter.faults().noAnswer(true);
            assertThatThrownBy(session::readRegisters)
                    .isInstanceOfSatisfying(MeterException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_ANSWER));
            assertThatThrownBy(session::readRegisters)
                    .isInstanceOfSatisfying(MeterException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CANCELLED));
        }
    }

    @Test
    void refusedAssociationAndUnreachableLinkAreClassified() throws Exception {
        DlmsMeter meter = startSimulator();
        meter.faults().refuseAssociation(true);
        assertThatThrownBy(() -> driver(meter, "authentication", "NONE", "clientId", 16).open())
                .isInstanceOfSatisfying(MeterException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REFUSED));
        int port = meter.wrapperPort();
        sim.close();
        sim = null;
        assertThatThrownBy(() -> driver(meter, "link", "tcp://127.0.0.1:" + port).open())
                .isInstanceOfSatisfying(MeterException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.LINK_UNAVAILABLE));
    }

    @Test
    void entersATokenThroughTheTokenGatewayAndReadsTheNewCredit() throws Exception {
        DlmsMeter meter = startSimulator();
        long before = meter.firmware().availableCreditMinor();
        byte[] token = "MGTEST:t-0001:10000001:2000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (CosemSession session = driver(meter).open()) {
            CosemData result = session.action(CosemMethod.of(115, "0-0:19.40.0.255", 1), CosemData.octetString(token));
            assertThat(result).isEqualTo(CosemData.NullData.INSTANCE);
            CosemData.Structure status = (CosemData.Structure) session.get(CosemAttribute.of(115, "0-0:19.40.0.255", 6));
            assertThat(status.get(0)).isEqualTo(new CosemData.EnumData(3)); // execution OK
            assertThat(session.get(CosemAttribute.of(115, "0-0:19.40.0.255", 2))).isEqualTo(CosemData.octetString(token));
            assertThat(session.get(CosemAttribute.of(111, "0-0:19.0.0.255", 5)).asLong()).isEqualTo(before + 2000);
            // the same token again is a replay: the meter says validation failed
            session.action(CosemMethod.of(115, "0-0:19.40.0.255", 1), CosemData.octetString(token));
            status = (CosemData.Structure) session.get(CosemAttribute.of(115, "0-0:19.40.0.255", 6));
            assertThat(status.get(0)).isEqualTo(new CosemData.EnumData(6));
        }
        assertThat(meter.firmware().availableCreditMinor()).isEqualTo(before + 2000);
    }

    @Test
    void aLongSessionKeepsTheStoredCounterAheadOfEverythingSent() throws Exception {
        DlmsMeter meter = startSimulator();
        Path counterFile = dataDir.resolve("dlms-counters/m1-client1.counter");
        long highest;
        try (CosemSession session = driver(meter).open()) {
            for (int i = 0; i < 3 * TrafficObserver.WINDOW; i++) {
                session.get(SelectiveAccess.CLOCK_TIME);
                long stored = Long.parseLong(Files.readString(counterFile).strip());
                assertThat(stored).isGreaterThanOrEqualTo(((DlmsSession) session).highestInvocationCounter());
            }
            highest = ((DlmsSession) session).highestInvocationCounter();
        }
        assertThat(highest).isGreaterThan(3 * TrafficObserver.WINDOW);
        try (CosemSession session = driver(meter, "invocationCounterObis", "").open()) {
            assertThat(session.readRegisters().readings()).isNotEmpty(); // accepted from the stored counter alone
        }
    }

    @Test
    void aCounterThatCannotBePersistedStopsBeforeAnythingIsSent() throws Exception {
        DlmsMeter meter = startSimulator();
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("dlms-counters"), "a file where the directory should be");
        long meterCounter = meter.firmware().invocationCounter();
        assertThatThrownBy(() -> driver(meter).open())
                .isInstanceOfSatisfying(MeterException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
                    assertThat(e.getMessage()).contains("invocation counter of meter m1", "check the data directory");
                });
        assertThat(meter.firmware().invocationCounter()).isEqualTo(meterCounter);
    }

    @Test
    void anotherMetersSystemTitleIsRefused() throws Exception {
        DlmsMeter meter = startSimulator();
        assertThatThrownBy(() -> driver(meter, "expectedSystemTitle", "4D47530000000001").open())
                .isInstanceOfSatisfying(MeterException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.REFUSED);
                    assertThat(e.getMessage()).contains(meter.config().systemTitleHex(), "4D47530000000001");
                });
        try (CosemSession session = driver(meter, "expectedSystemTitle", meter.config().systemTitleHex()).open()) {
            assertThat(session.readRegisters().readings()).isNotEmpty();
        }
    }

    @Test
    void oneSessionAtATimePerMeterASecondWaitsForTheFirstThenGivesUpWithItsReason() throws Exception {
        DlmsMeter meter = startSimulator();
        // waits at most three response timeouts: 3 s here
        org.metergate.dlms.internal.DlmsMeter driver = driver(meter, "responseTimeoutMs", 1000);
        ExecutorService second = Executors.newSingleThreadExecutor();
        try {
            Future<CosemSession> waiting;
            try (CosemSession session = driver.open()) {
                waiting = second.submit(driver::open);
                session.readRegisters();
                assertThat(waiting.isDone()).as("the second open waits while the first session is open").isFalse();
            }
            try (CosemSession session = waiting.get(30, TimeUnit.SECONDS)) {
                assertThat(session.readRegisters().readings()).isNotEmpty();
                assertThatThrownBy(driver::open).isInstanceOfSatisfying(MeterException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.LINK_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("still in another session", "after 3000 ms");
                });
            }
            try (CosemSession session = driver.open()) {
                assertThat(session.readRegisters().readings()).isNotEmpty();
            }
        } finally {
            second.shutdownNow();
        }
    }
}
