// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.io.EOFException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.Locale;

import javax.net.ssl.SSLException;

/** What a failed TLS handshake with the broker means, and what a technician can do about it. */
final class TlsFailure {

    private TlsFailure() {
    }

    static LinkChecker.StepFailed explain(Throwable failure, String host, int port, Duration timeout) {
        String where = host + " port " + port;
        String all = messages(failure);
        if (has(failure, CertificateExpiredException.class) || all.contains("validity check failed")
                && all.contains("expired")) {
            return new LinkChecker.StepFailed("The broker's certificate has expired (or the gateway's clock is "
                    + "wrong): " + rootMessage(failure) + ".", "Check the gateway's date and time (date -u); if it "
                    + "is right, ask the head-end operator to renew the broker's certificate.");
        }
        if (has(failure, CertificateNotYetValidException.class)) {
            return new LinkChecker.StepFailed("The broker's certificate is not valid yet: the gateway's clock is "
                    + "probably behind (" + rootMessage(failure) + ").", "Set the gateway's date and time (NTP), then "
                    + "run the check again.");
        }
        if (all.contains("no subject alternative") || all.contains("no name matching")) {
            return new LinkChecker.StepFailed("The broker's certificate is not issued for " + host + " ("
                    + rootMessage(failure) + ").", "Use the host name the broker's certificate names in brokerUri "
                    + "(conf/" + HeadendComponent.PID + ".cfg), not another name or an IP address.");
        }
        if (has(failure, CertPathValidatorException.class) || all.contains("pkix path")
                || all.contains("unable to find valid certification path")) {
            return new LinkChecker.StepFailed("The broker's certificate is not signed by the CA you installed ("
                    + rootMessage(failure) + ").", "Install the head-end CA chain with mg:install-cert (it comes "
                    + "with the signed device certificate), and check that brokerUri points at the head-end's "
                    + "broker.");
        }
        if (all.contains("bad_certificate") || all.contains("unknown_ca") || all.contains("certificate_unknown")
                || all.contains("certificate_required") || all.contains("access_denied")) {
            return new LinkChecker.StepFailed("The broker does not accept the gateway's certificate ("
                    + rootMessage(failure) + ").", "Ask the head-end operator to check that the broker trusts the "
                    + "CA that signed the gateway's certificate, or install a certificate signed by the head-end CA "
                    + "(mg:csr, mg:install-cert).");
        }
        if (all.contains("protocol_version") || all.contains("handshake_failure")
                || all.contains("no appropriate protocol") || all.contains("no negotiable cipher")) {
            return new LinkChecker.StepFailed("The gateway and the broker have no TLS version or cipher in common ("
                    + rootMessage(failure) + ").", "The broker must offer TLS 1.2 or 1.3 with ECDHE; ask the "
                    + "head-end operator.");
        }
        if (all.contains("unsupported or unrecognized ssl message") || all.contains("plaintext connection")) {
            return new LinkChecker.StepFailed("Port " + port + " of " + host + " does not speak TLS.",
                    "Use the broker's TLS port (usually 8883) in brokerUri; 1883 is plaintext.");
        }
        if (has(failure, SocketTimeoutException.class)) {
            return new LinkChecker.StepFailed("The broker did not complete the TLS handshake within "
                    + LinkChecker.seconds(timeout) + ".", "Check that " + where + " is the broker's TLS port and "
                    + "that nothing in between (proxy, firewall) holds the connection.");
        }
        if (has(failure, EOFException.class) || all.contains("remote host terminated")
                || all.contains("connection reset")) {
            return new LinkChecker.StepFailed("The broker closed the connection during the TLS handshake ("
                    + rootMessage(failure) + "): it refused the gateway's certificate or does not speak TLS on this "
                    + "port.", "Check the port in brokerUri (usually 8883), then ask the head-end operator whether "
                    + "the broker trusts the CA that signed the gateway's certificate.");
        }
        return new LinkChecker.StepFailed("The TLS handshake with " + where + " failed: " + rootMessage(failure)
                + (failure instanceof SSLException ? "" : " (" + failure.getClass().getSimpleName() + ")") + ".",
                "Check that the device certificate and the head-end CA are installed (mg:identity) and that "
                        + "brokerUri names the head-end's broker.");
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
            b.append(c.getMessage()).append(" | ");
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
