// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.metergate.headendsim.Pki;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The head-end CA's side of commissioning: sign the CSR a gateway printed with {@code mg:csr}. */
@Command(name = "sign-csr", mixinStandardHelpOptions = true,
        description = "Sign a gateway's certificate request (PEM, from mg:csr) with the head-end CA. Install the "
                + "result on the gateway with: mg:install-cert <out> <pki-dir>/ca.pem")
final class SignCsrCommand implements Callable<Integer> {

    @Option(names = "--pki-dir", defaultValue = "headend-pki", description = "PKI directory (default: ${DEFAULT-VALUE}).")
    Path pkiDir;

    @Option(names = "--csr", required = true, paramLabel = "FILE", description = "The certificate request (PEM).")
    Path csr;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the signed certificate (PEM).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Pki pki = Pki.openOrCreate(pkiDir);
        String certificate = pki.signCsr(Files.readString(csr));
        Files.writeString(out, certificate);
        PrintWriter w = spec.commandLine().getOut();
        w.println("signed certificate written to " + out.toAbsolutePath() + "; CA certificate: "
                + pki.caPem().toAbsolutePath());
        w.println("on the gateway: mg:install-cert " + out.getFileName() + " " + pki.caPem().getFileName());
        w.flush();
        return 0;
    }
}
