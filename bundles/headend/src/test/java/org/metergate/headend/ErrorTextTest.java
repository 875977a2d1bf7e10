// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;

import javax.net.ssl.SSLHandshakeException;

import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

/** Each failure is named for the step that failed, as Paho 1.2.5 reports it (exception chains seen in trials). */
class ErrorTextTest {

    private static final String URI = "ssl://broker.example:8883";

    private static String describe(Throwable t) {
        return ErrorText.describe(URI, t);
    }

    private static MqttException paho(int code, Throwable cause) {
        return new MqttException(code, cause);
    }

    private static <T extends Throwable> T causedBy(T t, Throwable cause) {
        t.initCause(cause);
        return t;
    }

    @Test
    void refusedTcpConnectionDoesNotBlameTheCertificate() {
        String text = describe(paho(MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR,
                new ConnectException("Connection refused")));
        assertThat(text).contains("refused the TCP connection", URI).doesNotContain("certificate", "TLS");
    }

    @Test
    void connectionClosedBeforeTheHandshakeSaysSoAndDoesNotBlameTheCertificate() {
        // what a relay that accepts and closes at once (broker down behind it) gives
        String text = describe(paho(0, causedBy(new SSLHandshakeException("Remote host terminated the handshake"),
                new EOFException("SSL peer shut down incorrectly"))));
        assertThat(text).contains("closed the connection before the TLS handshake finished", "not taking connections")
                .doesNotContain("certificate");
    }

    @Test
    void timeoutsSayWhetherTcpOrTheAnswerWasMissing() {
        assertThat(describe(paho(0, new SocketTimeoutException("Connect timed out"))))
                .contains("no TCP connection", "in time").doesNotContain("certificate");
        assertThat(describe(paho(0, new SocketTimeoutException("Read timed out"))))
                .contains("no answer from broker", "in time").doesNotContain("certificate");
        assertThat(describe(new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT)))
                .contains("no answer from broker");
    }

    @Test
    void unknownHostIsADnsProblem() {
        assertThat(describe(paho(MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR,
                new UnknownHostException("broker.example")))).contains("cannot resolve", "DNS");
    }

    @Test
    void certificateProblemsSayWhoseCertificate() {
        assertThat(describe(paho(MqttClientException.REASON_CODE_CONNECTION_LOST,
                new SSLHandshakeException("Received fatal alert: bad_certificate"))))
                .contains("refused the device certificate", "bad_certificate");
        assertThat(describe(paho(0, causedBy(new SSLHandshakeException("PKIX path building failed: unable to find"
                + " valid certification path to requested target"), new CertificateException("PKIX path building"
                + " failed")))))
                .contains("certificate of broker", "not signed by the head-end CA").doesNotContain("device certificate");
        assertThat(describe(paho(0, causedBy(new SSLHandshakeException("No subject alternative names matching IP"
                + " address 10.0.0.1 found"), new CertificateException("No subject alternative names matching IP"
                + " address 10.0.0.1 found")))))
                .contains("not issued for that host name");
        assertThat(describe(paho(0, causedBy(new SSLHandshakeException("validity check failed"),
                new CertificateExpiredException("NotAfter: Thu Jan 01 00:00:00 UTC 2026")))))
                .contains("expired or not valid yet", "date and time");
    }

    @Test
    void refusedByTheBrokerAfterTlsIsNotAuthorized() {
        assertThat(describe(new MqttException(0x87))).contains("not authorized", "0x87").doesNotContain("TLS");
        assertThat(describe(new MqttException(0x86))).contains("not authorized");
    }
}
