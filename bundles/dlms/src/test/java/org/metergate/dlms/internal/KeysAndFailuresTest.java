// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.metergate.dlms.internal.TestConfigs.config;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.metergate.api.cosem.AccessResult;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;
import org.metergate.api.security.MeterKeys;
import org.openmuc.jdlms.FatalJDlmsException;
import org.openmuc.jdlms.JDlmsException.ExceptionId;
import org.openmuc.jdlms.JDlmsException.Fault;
import org.openmuc.jdlms.ResponseTimeoutException;

class KeysAndFailuresTest {

    private static final byte[] KEY_A = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] KEY_B = HexFormat.of().parseHex("f0e0d0c0b0a090807060504030201000");

    @Test
    void readsBothKeysFromTheSecurityService() throws Exception {
        DlmsKeys.ClientKeys keys = new ServiceDlmsKeys(() -> InMemoryMeterKeys.of("m1", KEY_A, KEY_B)).keysFor("m1");
        assertThat(keys.authenticationKey()).isEqualTo(KEY_A);
        assertThat(keys.encryptionKey()).isEqualTo(KEY_B);
        assertThat(keys.toString()).doesNotContain("0102").contains("hidden");
    }

    @Test
    void missingKeysSayHowToEnterThem() {
        InMemoryMeterKeys store = new InMemoryMeterKeys();
        assertThatThrownBy(() -> new ServiceDlmsKeys(() -> store).keysFor("m1"))
                .isInstanceOfSatisfying(MeterException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
                    assertThat(e.getMessage()).contains("no DLMS keys for meter m1", "enter them with mg:dlms-key m1");
                });
        store.put("m1", MeterKeys.AUTHENTICATION, KEY_A);
        assertThatThrownBy(() -> new ServiceDlmsKeys(() -> store).keysFor("m1"))
                .hasMessageContaining("encryption key missing").hasMessageContaining("mg:dlms-key");
    }

    @Test
    void anAbsentSecurityServiceIsNamed() {
        assertThatThrownBy(() -> new ServiceDlmsKeys(() -> null).keysFor("m1"))
                .isInstanceOfSatisfying(MeterException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
                    assertThat(e.getMessage()).contains("meter m1", "metergate-security");
                });
    }

    @Test
    void unusableKeysAreReportedWithoutEchoingThem() {
        byte[] suite2 = new byte[32];
        assertThatThrownBy(() -> new ServiceDlmsKeys(() -> InMemoryMeterKeys.of("m1", suite2, KEY_B)).keysFor("m1"))
                .hasMessageContaining("authentication key of meter m1 is 32 bytes")
                .hasMessageContaining("mg:dlms-key");
        MeterKeys broken = new MeterKeys() {
            @Override
            public Optional<byte[]> key(String meterId, String keyName) throws GeneralSecurityException {
                throw new GeneralSecurityException("stored key cannot be decrypted: enter the key again");
            }

            @Override
            public void put(String meterId, String keyName, byte[] key) {
            }
        };
        assertThatThrownBy(() -> new ServiceDlmsKeys(() -> broken).keysFor("m1"))
                .isInstanceOfSatisfying(MeterException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
                    assertThat(e.getMessage()).contains("meter m1", "enter the key again");
                });
    }

    @Test
    void failuresAreClassifiedForCodeAndExplainedForTechnicians() throws Exception {
        DlmsSettings s = DlmsSettings.from(config());
        assertThat(FailureClassifier.reasonOf(new ConnectException("Connection refused")))
                .isEqualTo(Reason.LINK_UNAVAILABLE);
        assertThat(FailureClassifier.reasonOf(new ResponseTimeoutException("late"))).isEqualTo(Reason.NO_ANSWER);
        assertThat(FailureClassifier.reasonOf(new SocketTimeoutException("Read timed out"))).isEqualTo(Reason.NO_ANSWER);
        assertThat(FailureClassifier.reasonOf(new FatalJDlmsException(ExceptionId.CONNECTION_ESTABLISH_ERROR,
                Fault.SYSTEM, "Timeout waiting for associate response message (AARE). No further information.")))
                .isEqualTo(Reason.NO_ANSWER);
        assertThat(FailureClassifier.reasonOf(new FatalJDlmsException(ExceptionId.HDLC_CONNECTION_ESTABLISH_ERROR,
                Fault.SYSTEM, "Didn't receive answer in connection establish process."))).isEqualTo(Reason.NO_ANSWER);
        assertThat(FailureClassifier.reasonOf(new FatalJDlmsException(ExceptionId.JRXTX_PORT_IN_USE, Fault.USER,
                "busy"))).isEqualTo(Reason.LINK_UNAVAILABLE);
        assertThat(FailureClassifier.reasonOf(new IOException("HDLC frame FCS invalid"))).isEqualTo(Reason.CHECKSUM);
        assertThat(FailureClassifier.reasonOf(new IOException("garbage"))).isEqualTo(Reason.MALFORMED);

        MeterException refused = FailureClassifier.openFailed(s, new FatalJDlmsException(
                ExceptionId.AUTHENTICATION_ERROR, Fault.USER, "Received an association response (AARE) with an error"
                        + " message. Result name REJECTED_PERMANENT."));
        assertThat(refused.reason()).isEqualTo(Reason.REFUSED);
        assertThat(refused.getMessage()).startsWith("the meter refused the association - check the management client"
                + " keys for meter m1 (re-enter them with mg:dlms-key) and the client id (1)");

        MeterException damaged = FailureClassifier.requestFailed(s, "GET x",
                new IOException("Unable to decipher/decrypt xDLMS pdu"));
        assertThat(damaged.reason()).isEqualTo(Reason.CHECKSUM);

        assertThat(FailureClassifier.accessFailed(s, "SET IC 70", AccessResult.READ_WRITE_DENIED).getMessage())
                .contains("meter m1 answered read-write-denied to SET IC 70");
        assertThat(AccessResult.ofCode(11)).isEqualTo(AccessResult.OBJECT_UNAVAILABLE);
        assertThat(AccessResult.ofCode(77)).isEqualTo(AccessResult.OTHER_REASON);
    }
}
