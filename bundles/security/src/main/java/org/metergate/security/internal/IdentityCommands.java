// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Commissioning from the shell: {@code mg:identity}, {@code mg:csr}, {@code mg:rotate}, {@code mg:cancel-rotation}
 * and {@code mg:install-cert <chain.pem> <ca.pem>}. Gogo maps a command to a method of the same name; names with a
 * hyphen cannot be Java methods, so they arrive at {@link #_main} with the command name first.
 */
@Component(service = Object.class, property = {"osgi.command.scope=mg", "osgi.command.function=identity",
        "osgi.command.function=csr", "osgi.command.function=rotate", "osgi.command.function=install-cert",
        "osgi.command.function=cancel-rotation"})
public class IdentityCommands {

    static final String INACTIVE = "The device identity is not running: check that conf/org.metergate.security.cfg "
            + "sets gatewayId (letters, digits, '-' and '_'); the log says what is wrong";

    private final Clock clock = Clock.systemUTC();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private volatile IdentityCommissioning identity;

    public IdentityCommands() {
    }

    IdentityCommands(IdentityCommissioning identity) {
        this.identity = identity;
    }

    /** Key age, certificate subject, issuer and validity, trusted head-end CA, pending rotation. */
    public String identity() {
        IdentityCommissioning i = identity;
        return i == null ? INACTIVE : i.status().describe(clock.instant());
    }

    /** The certification request (PEM) to send to the head-end CA. */
    public String csr() {
        IdentityCommissioning i = identity;
        if (i == null) {
            return INACTIVE;
        }
        try {
            return i.certificationRequest();
        } catch (GeneralSecurityException e) {
            return "Could not create the certification request: " + e.getMessage();
        }
    }

    /** Creates a new key next to the one in use and prints its request; the current certificate stays in use. */
    public String rotate() {
        IdentityCommissioning i = identity;
        if (i == null) {
            return INACTIVE;
        }
        try {
            return i.startRotation() + System.lineSeparator() + "New key created; the current certificate stays in "
                    + "use. Send this request to the head-end and install the answer with mg:install-cert.";
        } catch (GeneralSecurityException | IOException e) {
            return "Could not start the key rotation: " + e.getMessage();
        }
    }

    /** {@code install-cert <chain.pem> <ca.pem>} and {@code cancel-rotation}. */
    public String _main(String command, String... arguments) {
        switch (command) {
        // Gogo may route any of these names here when the argument count fits both methods
        case "identity":
            return identity();
        case "csr":
            return csr();
        case "rotate":
            return rotate();
        default:
            break;
        }
        IdentityCommissioning i = identity;
        if (i == null) {
            return INACTIVE;
        }
        switch (command) {
        case "install-cert":
            if (arguments.length != 2) {
                return "usage: mg:install-cert <chain.pem> <ca.pem>  (device certificate first, then intermediates; "
                        + "the head-end CA certificate in the second file)";
            }
            return installCertificate(i, arguments[0], arguments[1]);
        case "cancel-rotation":
            try {
                i.cancelRotation();
                return "Pending key discarded; the current key and certificate are unchanged.";
            } catch (GeneralSecurityException | IOException e) {
                return "Could not cancel the rotation: " + e.getMessage();
            }
        default:
            return "unknown command mg:" + command;
        }
    }

    private static String installCertificate(IdentityCommissioning i, String chainFile, String caFile) {
        String chain;
        String ca;
        try {
            chain = Files.readString(Path.of(chainFile), StandardCharsets.ISO_8859_1);
            ca = Files.readString(Path.of(caFile), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return "File not found: " + e.getFile() + " (give the full path, e.g. /tmp/chain.pem)";
        } catch (IOException e) {
            return "Cannot read the certificate files: " + e;
        }
        try {
            return i.install(chain, ca);
        } catch (GeneralSecurityException | IOException e) {
            return "Certificate NOT installed, the current identity is unchanged: " + e.getMessage();
        }
    }
}
