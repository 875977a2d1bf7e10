// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.metergate.simulator.dlms.DlmsClients.attribute;

import java.io.IOException;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AuthenticationMechanism;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.MethodParameter;
import org.openmuc.jdlms.MethodResultCode;
import org.openmuc.jdlms.SecuritySuite;
import org.openmuc.jdlms.SetParameter;
import org.openmuc.jdlms.datatypes.DataObject;

/** Client ids, HLS5-GMAC, invocation counters and access rights. */
@Timeout(30)
class DlmsSecurityTest {
    private static DlmsSimulator simulator;
    private static DlmsMeter meter;

    @BeforeAll
    static void start() throws Exception {
        simulator = DlmsSimulator.builder().seed(7).clock(SimClock.frozenAt(Instant.parse("2026-03-03T12:00:00Z")))
                .start();
        meter = simulator.meters().get(0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @AfterEach
    void clearFaults() {
        meter.faults().clear();
    }

    @Test
    void public_client_reads_invocation_counter_and_public_objects_but_not_prepayment() throws Exception {
        try (DlmsConnection connection = DlmsClients.publicClient(meter.wrapperPort())) {
            assertThat(connection.get(attribute(1, "0-0:43.1.0.255", 2)).getResultCode())
                    .isEqualTo(AccessResultCode.SUCCESS);
            assertThat(connection.get(attribute(70, "0-0:96.3.10.255", 2)).getResultCode())
                    .isEqualTo(AccessResultCode.SUCCESS);
            assertThat(connection.get(attribute(111, "0-0:19.0.0.255", 5)).getResultCode())
                    .isEqualTo(AccessResultCode.READ_WRITE_DENIED);
            assertThat(connection.get(attribute(115, "0-0:19.40.0.255", 6)).getResultCode())
                    .isEqualTo(AccessResultCode.READ_WRITE_DENIED);
        }
    }

    @Test
    void public_client_cannot_act_or_set() throws Exception {
        try (DlmsConnection connection = DlmsClients.publicClient(meter.wrapperPort())) {
            MethodResultCode result = connection.action(
                    new MethodParameter(70, Obis.code("0-0:96.3.10.255"), 1, DataObject.newInteger8Data((byte) 0)))
                    .getResultCode();
            assertThat(result).isEqualTo(MethodResultCode.READ_WRITE_DENIED);
            AccessResultCode set = connection.set(new SetParameter(
                    attribute(70, "0-0:96.3.10.255", 4), DataObject.newEnumerateData(2)));
            assertThat(set).isEqualTo(AccessResultCode.READ_WRITE_DENIED);
        }
        assertThat(meter.firmware().relayConnected()).isTrue();
        assertThat(meter.firmware().controlMode()).isEqualTo(6);
    }

    @Test
    void management_client_with_hls5_reads_prepayment_objects() throws Exception {
        try (DlmsConnection connection = DlmsClients.managementClient(meter)) {
            assertThat(connection.get(attribute(111, "0-0:19.0.0.255", 5)).getResultCode())
                    .isEqualTo(AccessResultCode.SUCCESS);
        }
    }

    @Test
    void hls5_with_a_wrong_key_is_refused() {
        byte[] wrong = DlmsMeterConfig.deriveKey(99, "x", "y");
        assertThatThrownBy(() -> DlmsClients.managementClient(meter.wrapperPort(), wrong,
                meter.config().encryptionKey()).close()).isInstanceOf(IOException.class)
                .hasMessageContaining("REJECTED");
        assertThatThrownBy(() -> DlmsClients.managementClient(meter.wrapperPort(),
                meter.config().authenticationKey(), wrong).close()).isInstanceOf(IOException.class)
                .hasMessageContaining("REJECTED");
    }

    @Test
    void wrong_keys_fault_refuses_the_configured_keys() throws Exception {
        meter.faults().wrongKeys(true);
        assertThatThrownBy(() -> DlmsClients.managementClient(meter).close()).isInstanceOf(IOException.class)
                .hasMessageContaining("REJECTED");
        meter.faults().wrongKeys(false);
        DlmsClients.managementClient(meter).close();
    }

    @Test
    void unknown_client_id_gets_a_refusal() {
        assertThatThrownBy(() -> DlmsClients.base(meter.wrapperPort(), 99).build().close())
                .isInstanceOf(IOException.class).hasMessageContaining("REJECTED");
    }

    @Test
    void unknown_logical_device_gets_a_refusal() {
        assertThatThrownBy(() -> DlmsClients.base(meter.wrapperPort(), 16).setLogicalDeviceId(5).build().close())
                .isInstanceOf(IOException.class).hasMessageContaining("REJECTED");
    }

    @Test
    void replayed_invocation_counter_is_refused() throws Exception {
        DlmsClients.managementClient(meter).close();
        long used = meter.firmware().invocationCounter();
        assertThatThrownBy(() -> DlmsClients.base(meter.wrapperPort(), 1)
                .setSecuritySuite(SecuritySuite.builder()
                        .setAuthenticationMechanism(AuthenticationMechanism.HLS5_GMAC)
                        .setEncryptionMechanism(SecuritySuite.EncryptionMechanism.AES_GCM_128)
                        .setAuthenticationKey(meter.config().authenticationKey())
                        .setGlobalUnicastEncryptionKey(meter.config().encryptionKey()).build())
                .setSystemTitle("MGC", 1).setFrameCounter(used).build().close()).isInstanceOf(IOException.class)
                .hasMessageContaining("REJECTED");
    }

    @Test
    void refused_association_fault() {
        meter.faults().refuseAssociation(true);
        assertThatThrownBy(() -> DlmsClients.publicClient(meter.wrapperPort()).close())
                .isInstanceOf(IOException.class).hasMessageContaining("REJECTED");
    }

    @Test
    void no_answer_fault_makes_the_client_time_out() throws Exception {
        meter.faults().noAnswer(true);
        assertThatThrownBy(() -> DlmsClients.base(meter.wrapperPort(), 16).setResponseTimeout(500).build().close())
                .isInstanceOf(IOException.class);
        meter.faults().noAnswer(false);
        DlmsClients.publicClient(meter.wrapperPort()).close();
    }

    @Test
    void dropped_frame_loses_one_answer_only() throws Exception {
        try (DlmsConnection connection = DlmsClients.base(meter.wrapperPort(), 16).setResponseTimeout(500).build()) {
            meter.faults().dropNextFrames(1);
            assertThatThrownBy(() -> connection.get(attribute(3, "1-0:1.8.0.255", 2)))
                    .isInstanceOf(IOException.class);
        }
        try (DlmsConnection connection = DlmsClients.publicClient(meter.wrapperPort())) {
            assertThat(connection.get(attribute(3, "1-0:1.8.0.255", 2)).getResultCode())
                    .isEqualTo(AccessResultCode.SUCCESS);
        }
    }
}
