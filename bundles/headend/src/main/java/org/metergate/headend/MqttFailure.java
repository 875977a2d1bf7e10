// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.net.SocketTimeoutException;
import java.time.Duration;

import javax.net.ssl.SSLException;

import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

/** What a failed MQTT connect or exchange during the connectivity check means, for a technician. */
final class MqttFailure {

    private MqttFailure() {
    }

    static LinkChecker.StepFailed explain(MqttException e, String brokerUri, String gatewayId, Duration timeout) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                java.net.URI uri = java.net.URI.create(brokerUri);
                return TlsFailure.explain(c, uri.getHost(), uri.getPort(), timeout);
            }
            if (c instanceof SocketTimeoutException) {
                break;
            }
        }
        int code = e.getReasonCode();
        switch (code) {
            case 0x84:
                return new LinkChecker.StepFailed("The broker does not speak MQTT 5 (reason 0x84).",
                        "The head-end broker must support MQTT 5; ask the head-end operator.");
            case 0x85:
                return new LinkChecker.StepFailed("The broker refused the client id " + gatewayId
                        + "-check (reason 0x85).", "Ask the head-end operator to allow client ids starting with the "
                        + "gateway id.");
            case 0x86:
            case 0x87:
            case 0x8C:
                return new LinkChecker.StepFailed("The broker refused the gateway (reason 0x"
                        + Integer.toHexString(code) + ", not authorised).", "Ask the head-end operator to allow "
                        + "gateway " + gatewayId + " (certificate CN " + gatewayId + ") and its topics mg/v1/"
                        + gatewayId + "/#.");
            case 0x88:
            case 0x89:
            case 0x97:
                return new LinkChecker.StepFailed("The broker is unavailable or busy (reason 0x"
                        + Integer.toHexString(code) + ").", "Wait a few minutes and run the check again; if it "
                        + "persists, tell the head-end operator.");
            case MqttClientException.REASON_CODE_CLIENT_TIMEOUT:
                return new LinkChecker.StepFailed("The broker did not answer within " + LinkChecker.seconds(timeout)
                        + ".", "Check that brokerUri names an MQTT port of the head-end broker (usually 8883).");
            case MqttClientException.REASON_CODE_CONNECTION_LOST:
                return new LinkChecker.StepFailed("The broker dropped the connection" + cause(e) + ".",
                        "Ask the head-end operator whether the broker accepts gateway " + gatewayId + ".");
            default:
                return new LinkChecker.StepFailed("MQTT error with " + brokerUri + ": " + e.getMessage()
                        + " (code " + code + ")" + cause(e) + ".", "Check brokerUri and the gateway log.");
        }
    }

    private static String cause(MqttException e) {
        return e.getCause() == null ? "" : " (" + TlsFailure.rootMessage(e.getCause()) + ")";
    }
}
