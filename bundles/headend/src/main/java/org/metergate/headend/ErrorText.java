// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

/** Turns Paho and socket exceptions into sentences a technician can act on. */
final class ErrorText {

    private ErrorText() {
    }

    static String describe(String brokerUri, Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException) {
                return "cannot resolve the broker host in " + brokerUri + ": check brokerUri and the gateway's DNS";
            }
            if (c instanceof ConnectException || c instanceof NoRouteToHostException) {
                return "broker " + brokerUri + " refused or did not take the connection (" + c.getMessage()
                        + "): is it running and reachable, and is the port open in the firewall?";
            }
            if (c instanceof SSLHandshakeException || c instanceof CertificateException) {
                return "TLS handshake with " + brokerUri + " failed (" + c.getMessage() + "): check that the device"
                        + " certificate is installed and signed by the head-end CA, and that the broker's"
                        + " certificate matches its host name";
            }
            if (c instanceof SSLException) {
                return "TLS error with " + brokerUri + " (" + c.getMessage() + "): the broker may have rejected"
                        + " the device certificate, or it does not speak TLS on this port";
            }
            if (c instanceof SocketTimeoutException) {
                return "no answer from broker " + brokerUri + " in time: check the network and the broker";
            }
            if (c instanceof EOFException) {
                return "broker " + brokerUri + " closed the connection";
            }
        }
        if (t instanceof MqttException) {
            MqttException m = (MqttException) t;
            int code = m.getReasonCode();
            switch (code) {
                case 0x86:
                case 0x87:
                case 0x8C:
                    return "broker " + brokerUri + " refused the gateway (reason 0x" + Integer.toHexString(code)
                            + ", not authorized): check that the device certificate CN matches the gateway id"
                            + " and the broker's ACL allows mg/v1/<gateway id>/#";
                case 0x85:
                    return "broker refused the client id (reason 0x85): gateway ids must be [A-Za-z0-9_-]";
                case 0x88:
                case 0x89:
                    return "broker " + brokerUri + " is unavailable or busy (reason 0x" + Integer.toHexString(code)
                            + "); the link will retry";
                case MqttClientException.REASON_CODE_CLIENT_TIMEOUT:
                    return "no answer from broker " + brokerUri + " in time: check the network and the broker";
                case MqttClientException.REASON_CODE_CONNECTION_LOST:
                    return "connection to broker " + brokerUri + " lost" + causeSuffix(t);
                case MqttClientException.REASON_CODE_SERVER_CONNECT_ERROR:
                    return "cannot connect to broker " + brokerUri + causeSuffix(t)
                            + ": is it running and reachable, and does it speak MQTT on this port?";
                default:
                    return "MQTT error with " + brokerUri + ": " + m.getMessage() + " (code " + code + ")"
                            + causeSuffix(t);
            }
        }
        if (t instanceof GeneralSecurityException) {
            return "device identity not ready: " + t.getMessage();
        }
        return t.toString();
    }

    private static String causeSuffix(Throwable t) {
        return t.getCause() == null ? "" : " (" + t.getCause() + ")";
    }
}
