// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metergate.simulator.dlms.DlmsClients.attribute;
import static org.metergate.simulator.dlms.DlmsReadoutTest.fields;
import static org.metergate.simulator.dlms.DlmsReadoutTest.number;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.MethodParameter;
import org.openmuc.jdlms.MethodResultCode;
import org.openmuc.jdlms.SetParameter;
import org.openmuc.jdlms.datatypes.BitString;
import org.openmuc.jdlms.datatypes.DataObject;

/** Account, credit, token gateway and disconnect control driven by the management client. */
@Timeout(30)
class DlmsPrepaymentTest {
    /** A Monday, outside the default friendly window (18:00-08:00) */
    private static final Instant MONDAY_NOON = Instant.parse("2026-03-02T12:00:00Z");

    @TempDir
    Path stateDir;

    private DlmsSimulator start(Instant at, UnaryOperator<DlmsMeterConfig.Builder> config) throws Exception {
        return DlmsSimulator.builder().seed(3).stateDir(stateDir).clock(SimClock.frozenAt(at)).configure(config)
                .start();
    }

    @Test
    void management_client_reads_account_credit_token_gateway_and_disconnect_control() throws Exception {
        try (DlmsSimulator sim = start(MONDAY_NOON, c -> c.initialCreditMinor(1500).lowCreditThresholdMinor(400));
                DlmsConnection connection = DlmsClients.managementClient(sim.meters().get(0))) {
            List<GetResult> results = connection.get(List.of(attribute(111, "0-0:19.0.0.255", 2),
                    attribute(111, "0-0:19.0.0.255", 4), attribute(111, "0-0:19.0.0.255", 5),
                    attribute(111, "0-0:19.0.0.255", 15), attribute(111, "0-0:19.0.0.255", 16),
                    attribute(112, "0-0:19.10.0.255", 2), attribute(112, "0-0:19.10.1.255", 2),
                    attribute(112, "0-0:19.10.1.255", 8), attribute(115, "0-0:19.40.0.255", 5),
                    attribute(115, "0-0:19.40.0.255", 6), attribute(70, "0-0:96.3.10.255", 2),
                    attribute(70, "0-0:96.3.10.255", 3), attribute(70, "0-0:96.3.10.255", 4)));
            assertThat(results).allSatisfy(r -> assertThat(r.getResultCode()).isEqualTo(AccessResultCode.SUCCESS));
            assertThat(number(fields(results.get(0).getResultData()).get(0))).isEqualTo(2); // prepayment mode
            assertThat(creditBits(results.get(1))).isEqualTo(0x80 | 0x20); // in credit, next credit enabled
            assertThat(number(results.get(2).getResultData())).isEqualTo(1500);
            List<DataObject> currency = fields(results.get(3).getResultData());
            assertThat(new String((byte[]) currency.get(0).getValue(), StandardCharsets.UTF_8)).isEqualTo("EUR");
            assertThat(number(currency.get(1))).isEqualTo(-2);
            assertThat(number(results.get(4).getResultData())).isEqualTo(400);
            assertThat(number(results.get(5).getResultData())).isEqualTo(1500);
            assertThat(number(results.get(6).getResultData())).isEqualTo(500);
            assertThat(number(results.get(7).getResultData())).isEqualTo(MeterFirmware.CREDIT_ENABLED);
            assertThat(number(results.get(8).getResultData())).isZero();
            assertThat(number(fields(results.get(9).getResultData()).get(0))).isEqualTo(0);
            assertThat((Boolean) results.get(10).getResultData().getValue()).isTrue();
            assertThat(number(results.get(11).getResultData())).isEqualTo(1);
            assertThat(number(results.get(12).getResultData())).isEqualTo(6);
        }
    }

    @Test
    void management_client_sets_low_credit_threshold_and_clock() throws Exception {
        try (DlmsSimulator sim = start(MONDAY_NOON, c -> c.initialCreditMinor(800).lowCreditThresholdMinor(100))) {
            DlmsMeter meter = sim.meters().get(0);
            try (DlmsConnection connection = DlmsClients.managementClient(meter)) {
                assertThat(connection.set(new SetParameter(attribute(111, "0-0:19.0.0.255", 16),
                        DataObject.newInteger32Data(1000)))).isEqualTo(AccessResultCode.SUCCESS);
                assertThat(creditBits(connection.get(attribute(111, "0-0:19.0.0.255", 4))) & 0x40).isNotZero();
                Instant later = MONDAY_NOON.plus(Duration.ofHours(1));
                assertThat(connection.set(new SetParameter(attribute(8, "0-0:1.0.0.255", 2),
                        CosemDateTimes.octetString(later, ZoneOffset.UTC))))
                        .isEqualTo(AccessResultCode.SUCCESS);
                byte[] time = connection.get(attribute(8, "0-0:1.0.0.255", 2)).getResultData().getValue();
                assertThat(CosemDateTimes.decode(time, ZoneOffset.UTC)).isEqualTo(later);
            }
            assertThat(eventCodes(meter.firmware())).containsSubsequence(MeterEvent.LOW_CREDIT.code(),
                    MeterEvent.CLOCK_ADJUSTED_OLD_TIME.code(), MeterEvent.CLOCK_ADJUSTED_NEW_TIME.code());
            assertThat(meter.firmware().lowCreditThresholdMinor()).isEqualTo(1000);
        }
    }

    @Test
    void token_entry_adds_credit_once_and_rejects_the_replay() throws Exception {
        try (DlmsSimulator sim = start(MONDAY_NOON, c -> c.acceptTestTokens(true).initialCreditMinor(1000))) {
            DlmsMeter meter = sim.meters().get(0);
            byte[] token = TestTokenFormat.encode("t-0001", meter.config().serial(), 2000);
            try (DlmsConnection connection = DlmsClients.managementClient(meter)) {
                assertThat(enter(connection, token)).isEqualTo(MethodResultCode.SUCCESS);
                assertThat(tokenStatus(connection)).isEqualTo(TokenStatus.EXECUTION_OK.code());
                assertThat(number(connection.get(attribute(111, "0-0:19.0.0.255", 5)).getResultData()))
                        .isEqualTo(3000);
                assertThat((byte[]) connection.get(attribute(115, "0-0:19.40.0.255", 2)).getResultData().getValue())
                        .isEqualTo(token);

                enter(connection, token);
                assertThat(tokenStatus(connection)).isEqualTo(TokenStatus.VALIDATION_FAIL.code());
                enter(connection, TestTokenFormat.encode("t-0002", "10000099", 500));
                assertThat(tokenStatus(connection)).isEqualTo(TokenStatus.VALIDATION_FAIL.code());
                enter(connection, "garbage".getBytes(StandardCharsets.US_ASCII));
                assertThat(tokenStatus(connection)).isEqualTo(TokenStatus.FORMAT_FAIL.code());
                assertThat(number(connection.get(attribute(111, "0-0:19.0.0.255", 5)).getResultData()))
                        .isEqualTo(3000);
            }
            assertThat(meter.firmware().usedTokenIds()).containsExactly("t-0001");
        }
    }

    @Test
    void meter_without_test_flag_rejects_test_tokens_as_unauthenticated() throws Exception {
        try (DlmsSimulator sim = start(MONDAY_NOON, UnaryOperator.identity())) {
            DlmsMeter meter = sim.meters().get(0);
            try (DlmsConnection connection = DlmsClients.managementClient(meter)) {
                enter(connection, TestTokenFormat.encode("t-1", meter.config().serial(), 100));
                assertThat(tokenStatus(connection)).isEqualTo(TokenStatus.AUTHENTICATION_FAIL.code());
            }
            assertThat(meter.firmware().availableCreditMinor()).isEqualTo(2000);
        }
    }

    @Test
    void remote_disconnect_and_reconnect_follow_the_control_mode() throws Exception {
        try (DlmsSimulator sim = start(MONDAY_NOON, c -> c.controlMode(6))) {
            DlmsMeter meter = sim.meters().get(0);
            MeterFirmware firmware = meter.firmware();
            try (DlmsConnection connection = DlmsClients.managementClient(meter)) {
                // mode 6: remote reconnection only arms the customer's button
                assertThat(disconnectControl(connection, 1)).isEqualTo(MethodResultCode.SUCCESS);
                assertThat(firmware.relayConnected()).isFalse();
                assertThat(firmware.controlState()).isEqualTo(DisconnectControl.DISCONNECTED);
                assertThat(disconnectControl(connection, 2)).isEqualTo(MethodResultCode.SUCCESS);
                assertThat(firmware.relayConnected()).isFalse();
                assertThat(firmware.controlState()).isEqualTo(DisconnectControl.READY_FOR_RECONNECTION);
                firmware.pressButton();
                assertThat(firmware.relayConnected()).isTrue();

                // mode 2: remote reconnection connects at once
                assertThat(connection.set(new SetParameter(attribute(70, "0-0:96.3.10.255", 4),
                        DataObject.newEnumerateData(2)))).isEqualTo(AccessResultCode.SUCCESS);
                disconnectControl(connection, 1);
                assertThat(firmware.relayConnected()).isFalse();
                assertThat(disconnectControl(connection, 2)).isEqualTo(MethodResultCode.SUCCESS);
                assertThat(firmware.relayConnected()).isTrue();
                assertThat((Boolean) connection.get(attribute(70, "0-0:96.3.10.255", 2)).getResultData().getValue())
                        .isTrue();

                // mode 0: always connected, remote disconnection refused
                connection.set(new SetParameter(attribute(70, "0-0:96.3.10.255", 4), DataObject.newEnumerateData(0)));
                assertThat(disconnectControl(connection, 1)).isEqualTo(MethodResultCode.TEMPORARY_FAILURE);
                assertThat(firmware.relayConnected()).isTrue();
            }
        }
    }

    @Test
    void credit_runs_down_with_time_and_the_relay_opens_at_zero_outside_friendly_periods() throws Exception {
        long tariff = 30;
        try (DlmsSimulator sim = start(MONDAY_NOON, c -> c.tariffMinorPerKwh(tariff).initialCreditMinor(300)
                .lowCreditThresholdMinor(100).friendlyCredit(FriendlyCreditPolicy.none()))) {
            DlmsMeter meter = sim.meters().get(0);
            MeterFirmware firmware = meter.firmware();
            SlotConsumptionModel model = meter.config().consumptionModel();
            long start = SlotConsumptionModel.slotOf(MONDAY_NOON);

            sim.clock().advance(Duration.ofHours(2));
            long usedWh = 0;
            for (long slot = start; slot < start + 8; slot++) {
                usedWh += model.importWh(slot);
            }
            assertThat(firmware.availableCreditMinor()).isEqualTo(Math.floorDiv(300_000 - usedWh * tariff, 1000));

            sim.clock().advance(Duration.ofDays(3));
            assertThat(firmware.relayConnected()).isFalse();
            assertThat(firmware.controlState()).isEqualTo(DisconnectControl.READY_FOR_RECONNECTION);
            assertThat(firmware.availableCreditMinor()).isLessThanOrEqualTo(0);
            assertThat(eventCodes(firmware)).containsSubsequence(MeterEvent.LOW_CREDIT.code(),
                    MeterEvent.CREDIT_EXHAUSTED.code(), MeterEvent.LOCAL_DISCONNECT.code());
            long frozenImport = firmware.importWh();
            sim.clock().advance(Duration.ofHours(5));
            assertThat(firmware.importWh()).isEqualTo(frozenImport);

            try (DlmsConnection connection = DlmsClients.managementClient(meter)) {
                int bits = creditBits(connection.get(attribute(111, "0-0:19.0.0.255", 4)));
                assertThat(bits & 0x02).as("out of credit").isNotZero();
                assertThat(bits & 0x40).as("low credit").isNotZero();
                assertThat((Boolean) connection.get(attribute(70, "0-0:96.3.10.255", 2)).getResultData().getValue())
                        .isFalse();
            }
        }
    }

    @Test
    void low_credit_sets_the_status_bit_and_logs_one_event_while_the_supply_stays_on() throws Exception {
        try (DlmsSimulator sim = start(MONDAY_NOON, c -> c.tariffMinorPerKwh(30).initialCreditMinor(300)
                .lowCreditThresholdMinor(200).friendlyCredit(FriendlyCreditPolicy.none()))) {
            DlmsMeter meter = sim.meters().get(0);
            MeterFirmware firmware = meter.firmware();
            try (DlmsConnection connection = DlmsClients.managementClient(meter)) {
                assertThat(creditBits(connection.get(attribute(111, "0-0:19.0.0.255", 4))) & 0x40)
                        .as("no low-credit bit above the threshold").isZero();
                for (int slot = 0; slot < 96 && firmware.availableCreditMinor() > 200; slot++) {
                    sim.clock().advance(Duration.ofMinutes(15));
                }
                assertThat(firmware.availableCreditMinor()).isBetween(1L, 200L);
                int bits = creditBits(connection.get(attribute(111, "0-0:19.0.0.255", 4)));
                assertThat(bits & 0x40).as("low credit (bit 1)").isNotZero();
                assertThat(bits & 0x02).as("out of credit (bit 6)").isZero();
                assertThat(firmware.relayConnected()).isTrue();
                assertThat(eventCodes(firmware)).containsOnlyOnce(MeterEvent.LOW_CREDIT.code())
                        .contains(MeterEvent.EMERGENCY_CREDIT_SELECTABLE.code())
                        .doesNotContain(MeterEvent.LOCAL_DISCONNECT.code());
                assertThat(number(connection.get(attribute(1, "0-0:96.11.0.255", 2)).getResultData()))
                        .isEqualTo(MeterEvent.EMERGENCY_CREDIT_SELECTABLE.code());

                sim.clock().advance(Duration.ofMinutes(15)); // still low: no second event
                if (firmware.availableCreditMinor() > 0) {
                    assertThat(eventCodes(firmware)).containsOnlyOnce(MeterEvent.LOW_CREDIT.code());
                }
            }
        }
    }

    @Test
    void remote_reconnection_and_the_button_follow_every_control_mode() throws Exception {
        try (DlmsSimulator sim = start(MONDAY_NOON, c -> c.controlMode(2))) {
            DlmsMeter meter = sim.meters().get(0);
            MeterFirmware firmware = meter.firmware();
            try (DlmsConnection connection = DlmsClients.managementClient(meter)) {
                for (int mode = 0; mode <= 6; mode++) {
                    assertThat(connection.set(new SetParameter(attribute(70, "0-0:96.3.10.255", 4),
                            DataObject.newEnumerateData(mode)))).isEqualTo(AccessResultCode.SUCCESS);
                    if (mode == 0) {
                        assertThat(disconnectControl(connection, 1)).isEqualTo(MethodResultCode.TEMPORARY_FAILURE);
                        firmware.pressButton();
                        assertThat(firmware.relayConnected()).as("mode 0 stays connected").isTrue();
                        continue;
                    }
                    assertThat(disconnectControl(connection, 1)).as("mode %d remote disconnect", mode)
                            .isEqualTo(MethodResultCode.SUCCESS);
                    assertThat(firmware.relayConnected()).isFalse();
                    assertThat(firmware.controlState()).isEqualTo(DisconnectControl.DISCONNECTED);

                    MethodResultCode reconnect = disconnectControl(connection, 2);
                    if (mode == 2 || mode == 4) {
                        assertThat(reconnect).isEqualTo(MethodResultCode.SUCCESS);
                        assertThat(firmware.relayConnected()).as("mode %d reconnects at once", mode).isTrue();
                    } else if (mode == 5) {
                        assertThat(reconnect).isEqualTo(MethodResultCode.TEMPORARY_FAILURE);
                        assertThat(firmware.controlState()).isEqualTo(DisconnectControl.DISCONNECTED);
                        firmware.pressButton();
                        assertThat(firmware.relayConnected()).as("mode 5: no remote reconnection to press for")
                                .isFalse();
                        connection.set(new SetParameter(attribute(70, "0-0:96.3.10.255", 4),
                                DataObject.newEnumerateData(2)));
                        assertThat(disconnectControl(connection, 2)).isEqualTo(MethodResultCode.SUCCESS);
                        connection.set(new SetParameter(attribute(70, "0-0:96.3.10.255", 4),
                                DataObject.newEnumerateData(5)));
                    } else {
                        assertThat(reconnect).isEqualTo(MethodResultCode.SUCCESS);
                        assertThat(firmware.relayConnected()).as("mode %d only arms the button", mode).isFalse();
                        assertThat(firmware.controlState()).isEqualTo(DisconnectControl.READY_FOR_RECONNECTION);
                        firmware.pressButton();
                        assertThat(firmware.relayConnected()).as("mode %d button reconnects", mode).isTrue();
                    }
                    assertThat(firmware.relayConnected()).isTrue();

                    // the customer's button disconnects in modes 1, 2 and 5 only, and reconnects from there
                    firmware.pressButton();
                    boolean manualDisconnect = mode == 1 || mode == 2 || mode == 5;
                    assertThat(firmware.relayConnected()).as("mode %d after pressing the button", mode)
                            .isEqualTo(!manualDisconnect);
                    if (manualDisconnect) {
                        assertThat(firmware.controlState()).isEqualTo(DisconnectControl.READY_FOR_RECONNECTION);
                        firmware.pressButton();
                        assertThat(firmware.relayConnected()).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void a_top_up_after_a_credit_disconnection_reconnects_by_itself_only_in_modes_5_and_6() throws Exception {
        for (int mode : new int[] {1, 2, 3, 4, 5, 6}) {
            int controlMode = mode;
            try (DlmsSimulator sim = DlmsSimulator.builder().seed(3).stateDir(stateDir.resolve("mode-" + mode))
                    .clock(SimClock.frozenAt(MONDAY_NOON)).configure(c -> c.acceptTestTokens(true)
                            .tariffMinorPerKwh(30).initialCreditMinor(100).emergencyCreditMinor(0)
                            .controlMode(controlMode).friendlyCredit(FriendlyCreditPolicy.none()))
                    .start()) {
                DlmsMeter meter = sim.meters().get(0);
                MeterFirmware firmware = meter.firmware();
                sim.clock().advance(Duration.ofDays(2));
                assertThat(firmware.relayConnected()).as("mode %d out of credit", mode).isFalse();
                try (DlmsConnection connection = DlmsClients.managementClient(meter)) {
                    enter(connection, TestTokenFormat.encode("t-" + mode, meter.config().serial(), 5000));
                    assertThat(tokenStatus(connection)).isEqualTo(TokenStatus.EXECUTION_OK.code());
                }
                assertThat(firmware.availableCreditMinor()).isPositive();
                assertThat(firmware.relayConnected()).as("mode %d after the top-up", mode)
                        .isEqualTo(mode == 5 || mode == 6);
                if (mode != 5 && mode != 6) {
                    assertThat(firmware.controlState()).isEqualTo(DisconnectControl.READY_FOR_RECONNECTION);
                    firmware.pressButton(); // the customer reconnects
                    assertThat(firmware.relayConnected()).isTrue();
                } else {
                    assertThat(eventCodes(firmware)).contains(MeterEvent.LOCAL_RECONNECT.code());
                }
            }
        }
    }

    @Test
    void friendly_night_keeps_the_power_on_until_the_morning() throws Exception {
        Instant mondayEvening = Instant.parse("2026-03-02T18:00:00Z");
        try (DlmsSimulator sim = start(mondayEvening, c -> c.tariffMinorPerKwh(30).initialCreditMinor(5)
                .friendlyCredit(FriendlyCreditPolicy.parse("18:00-08:00", "")))) {
            MeterFirmware firmware = sim.meters().get(0).firmware();
            sim.clock().advance(Duration.ofHours(13)); // Tuesday 07:00
            assertThat(firmware.availableCreditMinor()).isNegative();
            assertThat(firmware.relayConnected()).isTrue();
            assertThat(eventCodes(firmware)).contains(MeterEvent.CREDIT_EXHAUSTED.code())
                    .doesNotContain(MeterEvent.LOCAL_DISCONNECT.code());
            sim.clock().advance(Duration.ofHours(2)); // Tuesday 09:00
            assertThat(firmware.relayConnected()).isFalse();
            assertThat(eventCodes(firmware)).contains(MeterEvent.LOCAL_DISCONNECT.code());
        }
    }

    @Test
    void with_a_speed_up_the_meter_runs_out_of_credit_in_seconds() throws Exception {
        try (DlmsSimulator sim = DlmsSimulator.builder().seed(4).speedUp(500_000).configure(c -> c
                .initialCreditMinor(500).friendlyCredit(FriendlyCreditPolicy.none())).start()) {
            MeterFirmware firmware = sim.meters().get(0).firmware();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (firmware.relayConnected() && System.nanoTime() < deadline) {
                Thread.sleep(50); // waiting for simulated days to pass, not asserting on timing
            }
            assertThat(firmware.relayConnected()).isFalse();
            assertThat(firmware.availableCreditMinor()).isLessThanOrEqualTo(0);
            assertThat(eventCodes(firmware)).contains(MeterEvent.LOCAL_DISCONNECT.code());
        }
    }

    @Test
    void friendly_weekend_keeps_the_power_on_until_it_ends() throws Exception {
        Instant saturday = Instant.parse("2026-03-07T09:00:00Z");
        try (DlmsSimulator sim = start(saturday, c -> c.tariffMinorPerKwh(30).initialCreditMinor(100)
                .friendlyCredit(FriendlyCreditPolicy.parse("", "SAT,SUN")))) {
            MeterFirmware firmware = sim.meters().get(0).firmware();
            sim.clock().advance(Duration.ofHours(36)); // Sunday 21:00
            assertThat(firmware.availableCreditMinor()).isNegative();
            assertThat(firmware.relayConnected()).isTrue();
            sim.clock().advance(Duration.ofHours(4)); // Monday 01:00
            assertThat(firmware.relayConnected()).isFalse();
        }
    }

    @Test
    void top_up_after_credit_disconnection_reconnects_in_mode_6_and_repays_emergency_credit() throws Exception {
        try (DlmsSimulator sim = start(MONDAY_NOON, c -> c.acceptTestTokens(true).tariffMinorPerKwh(30)
                .initialCreditMinor(100).emergencyCreditMinor(200).friendlyCredit(FriendlyCreditPolicy.none()))) {
            DlmsMeter meter = sim.meters().get(0);
            MeterFirmware firmware = meter.firmware();
            try (DlmsConnection connection = DlmsClients.managementClient(meter)) {
                sim.clock().advance(Duration.ofHours(2));
                assertThat(firmware.emergencyCreditStatus()).isEqualTo(MeterFirmware.CREDIT_SELECTABLE);
                assertThat(connection.action(new MethodParameter(112, Obis.code("0-0:19.10.1.255"), 3,
                        DataObject.newEnumerateData(2))).getResultCode()).isEqualTo(MethodResultCode.SUCCESS);
                sim.clock().advance(Duration.ofDays(3));
                assertThat(firmware.relayConnected()).isFalse();
                assertThat(firmware.emergencyCreditStatus()).isEqualTo(MeterFirmware.CREDIT_EXHAUSTED);

                long debt = firmware.tokenCreditMinor();
                enter(connection, TestTokenFormat.encode("t-9", meter.config().serial(), 5000));
                assertThat(tokenStatus(connection)).isEqualTo(TokenStatus.EXECUTION_OK.code());
                assertThat(firmware.relayConnected()).isTrue();
                assertThat(firmware.tokenCreditMinor()).isBetween(debt + 5000 - 200 - 1, debt + 5000 - 200 + 1);
                assertThat(firmware.emergencyCreditMinor()).isEqualTo(200);
            }
        }
    }

    @Test
    void state_survives_a_restart() throws Exception {
        UnaryOperator<DlmsMeterConfig.Builder> config = c -> c.acceptTestTokens(true).controlMode(2);
        byte[] token;
        long credit;
        long counter;
        try (DlmsSimulator sim = start(MONDAY_NOON, config)) {
            DlmsMeter meter = sim.meters().get(0);
            token = TestTokenFormat.encode("t-77", meter.config().serial(), 1234);
            try (DlmsConnection connection = DlmsClients.managementClient(meter)) {
                enter(connection, token);
                disconnectControl(connection, 1);
            }
            credit = meter.firmware().availableCreditMinor();
            counter = meter.firmware().invocationCounter();
        }
        try (DlmsSimulator sim = start(MONDAY_NOON, config)) {
            DlmsMeter meter = sim.meters().get(0);
            MeterFirmware firmware = meter.firmware();
            assertThat(firmware.availableCreditMinor()).isEqualTo(credit).isEqualTo(2000 + 1234);
            assertThat(firmware.relayConnected()).isFalse();
            assertThat(firmware.controlState()).isEqualTo(DisconnectControl.DISCONNECTED);
            assertThat(firmware.invocationCounter()).isEqualTo(counter).isPositive();
            try (DlmsConnection connection = DlmsClients.managementClient(meter)) {
                enter(connection, token);
                assertThat(tokenStatus(connection)).isEqualTo(TokenStatus.VALIDATION_FAIL.code());
            }
            assertThat(firmware.availableCreditMinor()).isEqualTo(credit);
        }
    }

    @Test
    void delayed_token_processing_reports_received_until_done_and_survives_a_restart() throws Exception {
        UnaryOperator<DlmsMeterConfig.Builder> slow = c -> c.acceptTestTokens(true)
                .tokenProcessingDelay(Duration.ofMillis(300));
        try (DlmsSimulator sim = start(MONDAY_NOON, slow)) {
            DlmsMeter meter = sim.meters().get(0);
            try (DlmsConnection connection = DlmsClients.managementClient(meter)) {
                enter(connection, TestTokenFormat.encode("t-slow", meter.config().serial(), 700));
                assertThat(tokenStatus(connection)).isEqualTo(TokenStatus.RECEIVED.code());
                long status = TokenStatus.RECEIVED.code();
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (status == TokenStatus.RECEIVED.code() && System.nanoTime() < deadline) {
                    Thread.sleep(50); // polling as the gateway does, not an assertion on timing
                    status = tokenStatus(connection);
                }
                assertThat(status).isEqualTo(TokenStatus.EXECUTION_OK.code());
                assertThat(meter.firmware().availableCreditMinor()).isEqualTo(2700);
            }
        }
        UnaryOperator<DlmsMeterConfig.Builder> verySlow = c -> c.acceptTestTokens(true)
                .tokenProcessingDelay(Duration.ofMinutes(10));
        try (DlmsSimulator sim = start(MONDAY_NOON, verySlow)) {
            MeterFirmware firmware = sim.meters().get(0).firmware();
            firmware.enterToken(TestTokenFormat.encode("t-crash", firmware.serial(), 300));
            assertThat(firmware.lastTokenStatus()).isEqualTo(TokenStatus.RECEIVED);
        }
        try (DlmsSimulator sim = start(MONDAY_NOON, slow)) {
            MeterFirmware firmware = sim.meters().get(0).firmware();
            assertThat(firmware.lastTokenStatus()).isEqualTo(TokenStatus.EXECUTION_OK);
            assertThat(firmware.usedTokenIds()).contains("t-slow", "t-crash");
            assertThat(firmware.availableCreditMinor()).isEqualTo(3000);
        }
    }

    private static MethodResultCode enter(DlmsConnection connection, byte[] token) throws Exception {
        return connection.action(new MethodParameter(115, Obis.code("0-0:19.40.0.255"), 1,
                DataObject.newOctetStringData(token))).getResultCode();
    }

    private static long tokenStatus(DlmsConnection connection) throws Exception {
        return number(fields(connection.get(attribute(115, "0-0:19.40.0.255", 6)).getResultData()).get(0));
    }

    private static MethodResultCode disconnectControl(DlmsConnection connection, int method) throws Exception {
        return connection.action(new MethodParameter(70, Obis.code("0-0:96.3.10.255"), method,
                DataObject.newInteger8Data((byte) 0))).getResultCode();
    }

    private static int creditBits(GetResult result) {
        BitString bits = result.getResultData().getValue();
        return bits.getBitString()[0] & 0xFF;
    }

    private static List<Integer> eventCodes(MeterFirmware firmware) {
        List<Integer> codes = new ArrayList<>();
        for (long[] event : firmware.events()) {
            codes.add((int) event[1]);
        }
        return codes;
    }
}
