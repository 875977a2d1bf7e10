// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

import javax.net.ssl.SSLException;

import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Turns Paho and socket exceptions into sentences a technician can act on, naming the step that failed:
 * the name lookup, the TCP connection, the TLS handshake (and then whose certificate), or the broker's
 * MQTT answer. The certificate is only blamed when TLS itself says so.
 */
final class ErrorText {

    private ErrorText() {
    }

    static String describe(String brokerUri, Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException) {
                return "cannot resolve the broker host in " + brokerUri + " (" + c.getMessage()
                        + "): check brokerUri and the gateway's DNS";
            }
            if (c instanceof NoRouteToHostException) {
                return "no network route to broker " + brokerUri + " (" + c.getMessage()
                        + "): check the gateway's network connection and routing";
            }
            if (c instanceof ConnectException) {
                if (lower(c).contains("refused")) {
                    return "broker " + brokerUri + " refused the TCP connection: nothing accepts connections on that"
                            + " port. Is the broker running, and is the port in brokerUri right?";
                }
                return "cannot open a TCP connection to broker " + brokerUri + " (" + c.getMessage()
                        + "): check the network, the firewall and that the broker is running";
            }
            if (c instanceof SSLException) {
                return tls(brokerUri, (SSLException) c);
            }
            if (c instanceof SocketTimeoutException) {
                return timeout(brokerUri, c);
            }
            if (c instanceof EOFException) {
                return "broker " + brokerUri + " closed the connection";
            }
            if (c instanceof SocketException && lower(c).contains("reset")) {
                return "broker " + brokerUri + " reset the connection (" + c.getMessage() + ")";
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

    /** A failed TLS handshake or TLS session: whose certificate, if any, is the reason. */
    private static String tls(String brokerUri, SSLException e) {
        String all = messages(e);
        String why = " (" + root(e) + ")";
        if (has(e, CertificateExpiredException.class) || has(e, CertificateNotYetValidException.class)) {
            return "the certificate of broker " + brokerUri + " is expired or not valid yet" + why
                    + ": check the gateway's date and time, then ask the head-end operator";
        }
        if (all.contains("no subject alternative") || all.contains("no name matching")) {
            return "the certificate of broker " + brokerUri + " is not issued for that host name" + why
                    + ": use the host name the broker's certificate names in brokerUri";
        }
        if (all.contains("pkix path") || all.contains("certification path") || all.contains("certpath")) {
            return "the certificate of broker " + brokerUri + " is not signed by the head-end CA the gateway"
                    + " trusts" + why + ": check brokerUri and the installed head-end CA chain";
        }
        if (all.contains("bad_certificate") || all.contains("unknown_ca") || all.contains("certificate_unknown")
                || all.contains("certificate_required") || all.contains("certificate_expired")
                || all.contains("certificate_revoked") || all.contains("access_denied")) {
            return "broker " + brokerUri + " refused the device certificate in the TLS handshake" + why
                    + ": check that the device certificate is installed and signed by the CA the broker trusts";
        }
        if (all.contains("protocol_version") || all.contains("handshake_failure")
                || all.contains("no appropriate protocol") || all.contains("no negotiable cipher")) {
            return "the gateway and broker " + brokerUri + " have no TLS version or cipher in common" + why
                    + ": the broker must offer TLS 1.2 or 1.3";
        }
        if (all.contains("unsupported or unrecognized ssl message") || all.contains("plaintext connection")) {
            return "broker " + brokerUri + " does not speak TLS on this port" + why
                    + ": use the broker's TLS port (usually 8883)";
        }
        if (has(e, SocketTimeoutException.class)) {
            return "broker " + brokerUri + " took the TCP connection but did not finish the TLS handshake in time:"
                    + " check that the port speaks TLS and that nothing in between holds the connection";
        }
        if (has(e, EOFException.class) || all.contains("remote host terminated") || all.contains("connection reset")) {
            // no TLS alert: the peer just hung up, which is how a relay with no broker behind it behaves
            return "broker " + brokerUri + " closed the connection before the TLS handshake finished, without a TLS"
                    + " alert" + why + ": the broker, or a relay in front of it, is not taking connections now"
                    + " (down, restarting or overloaded); the link will retry";
        }
        return "TLS error with " + brokerUri + why + ": check the device certificate, the head-end CA and brokerUri";
    }

    private static String timeout(String brokerUri, Throwable c) {
        if (lower(c).contains("connect")) {
            return "no TCP connection to broker " + brokerUri + " in time: check the network, the firewall and"
                    + " brokerUri";
        }
        return "no answer from broker " + brokerUri + " in time: check the network and the broker";
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(lower(c)).append(" | ");
        }
        return b.toString();
    }

    private static String lower(Throwable t) {
        return String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
    }

    private static String root(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }

    private static String causeSuffix(Throwable t) {
        return t.getCause() == null ? "" : " (" + t.getCause() + ")";
    }
}
