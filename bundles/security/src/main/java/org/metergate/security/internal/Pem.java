// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.security.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM in and out. Text around the blocks (as printed by {@code openssl x509 -text}) is ignored. */
final class Pem {

    private Pem() {
    }

    /**
     * All certificates in {@code text}, in file order.
     *
     * @param what names the input in errors, e.g. "the certificate chain file chain.pem"
     */
    static List<X509Certificate> certificates(String text, String what) throws CertificateRejectedException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(text))) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            int block = 0;
            for (PemObject o = reader.readPemObject(); o != null; o = reader.readPemObject()) {
                block++;
                if (o.getType().contains("PRIVATE KEY")) {
                    throw new CertificateRejectedException(what + " contains a private key (block " + block
                            + ", " + o.getType() + "); a private key must never be sent or copied — the file must "
                            + "hold only CERTIFICATE blocks. Delete that file and ask for the certificate alone");
                }
                if (!"CERTIFICATE".equals(o.getType())) {
                    throw new CertificateRejectedException(what + " has a '" + o.getType() + "' block (block "
                            + block + ") where only CERTIFICATE blocks are expected");
                }
                try {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(o.getContent())));
                } catch (CertificateException e) {
                    throw new CertificateRejectedException(what + ": CERTIFICATE block " + block
                            + " is not a valid X.509 certificate (" + e.getMessage() + ")", e);
                }
            }
        } catch (IOException e) {
            throw new CertificateRejectedException(what + " is not readable PEM (" + e.getMessage()
                    + "); expected lines -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----", e);
        } catch (CertificateException e) {
            throw new IllegalStateException("this Java runtime has no X.509 support", e);
        }
        if (certificates.isEmpty()) {
            throw new CertificateRejectedException(what + " contains no certificate: expected at least one "
                    + "-----BEGIN CERTIFICATE----- block");
        }
        return certificates;
    }

    /** One PEM block, lines of 64 characters, Unix line ends. */
    static String encode(String type, byte[] der) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }
}
