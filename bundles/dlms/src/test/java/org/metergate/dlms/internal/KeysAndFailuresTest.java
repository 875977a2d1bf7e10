// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.metergate.dlms.internal.TestConfigs.config;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.cosem.AccessResult;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;
import org.openmuc.jdlms.FatalJDlmsException;
import org.openmuc.jdlms.JDlmsException.ExceptionId;
import org.openmuc.jdlms.JDlmsException.Fault;
import org.openmuc.jdlms.ResponseTimeoutException;

class KeysAndFailuresTest {

    private static final String KEY_A = "000102030405060708090a0b0c0d0e0f";
    private static final String KEY_B = "f0e0d0c0b0a090807060504030201000";

    @TempDir
    Path dir;

    private Path keyFile(String content, String permissions) throws IOException {
        Path file = dir.resolve("m1.properties");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void readsBothKeysFromAnOwnerOnlyFile() throws Exception {
        keyFile("authenticationKey=" + KEY_A + "\nencryptionKey = " + KEY_B + "\n", "rw-------");
        DlmsKeys.ClientKeys keys = new FileDlmsKeys(dir).keysFor("m1");
        assertThat(keys.authenticationKey()).hasSize(16).startsWith(0, 1, 2);
        assertThat(keys.encryptionKey()).hasSize(16).startsWith(0xF0, 0xE0);
        assertThat(keys.toString()).doesNotContain("0102").contains("hidden");
    }

    @Test
    void missingKeysSayWhichFileToCreate() {
        assertThatThrownBy(() -> new FileDlmsKeys(dir).keysFor("m1"))
                .isInstanceOfSatisfying(MeterException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
                    assertThat(e.getMessage()).contains(dir.resolve("m1.properties").toString(), "chmod 600",
                            "authenticationKey=", "encryptionKey=");
                });
    }

    @Test
    void keysReadableByOthersAreRefused() throws Exception {
        keyFile("authenticationKey=" + KEY_A + "\nencryptionKey=" + KEY_B + "\n", "rw-r--r--");
        assertThatThrownBy(() -> new FileDlmsKeys(dir).keysFor("m1"))
                .hasMessageContaining("other users").hasMessageContaining("chmod 600");
    }

    @Test
    void malformedKeysAreReportedWithoutEchoingThem() throws Exception {
        keyFile("authenticationKey=" + KEY_A + "ff\nencryptionKey=" + KEY_B + "\n", "rw-------");
        assertThatThrownBy(() -> new FileDlmsKeys(dir).keysFor("m1"))
                .hasMessageContaining("authenticationKey").hasMessageContaining("32 hex digits")
                .hasMessageNotContaining(KEY_A);
        keyFile("encryptionKey=" + KEY_B + "\n", "rw-------");
        assertThatThrownBy(() -> new FileDlmsKeys(dir).keysFor("m1")).hasMessageContaining("has no authenticationKey");
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
                + " keys for meter m1 (authentication key / encryption key) and the client id (1)");

        MeterException damaged = FailureClassifier.requestFailed(s, "GET x",
                new IOException("Unable to decipher/decrypt xDLMS pdu"));
        assertThat(damaged.reason()).isEqualTo(Reason.CHECKSUM);

        assertThat(FailureClassifier.accessFailed(s, "SET IC 70", AccessResult.READ_WRITE_DENIED).getMessage())
                .contains("meter m1 answered read-write-denied to SET IC 70");
        assertThat(AccessResult.ofCode(11)).isEqualTo(AccessResult.OBJECT_UNAVAILABLE);
        assertThat(AccessResult.ofCode(77)).isEqualTo(AccessResult.OTHER_REASON);
    }
}
