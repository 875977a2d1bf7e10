// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.metergate.headendsim.credit.TokenSigningKey;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Shows (and creates on first use) the head-end's token signing key and where gateways and meters need it. */
@Command(name = "signing-key", mixinStandardHelpOptions = true,
        description = "Show the credit-token signing key (ES256; created in the PKI directory on first use): its kid, "
                + "the public key file, and the gateway's configuration line.")
final class SigningKeyCommand implements Callable<Integer> {

    @Option(names = "--pki-dir", defaultValue = "headend-pki",
            description = "PKI directory (default: ${DEFAULT-VALUE}).")
    Path pkiDir;

    @Option(names = "--print", paramLabel = "WHAT", description = "Print only one value: kid, public-key-file or "
            + "gateway-config (the headendPublicKeys line), for scripts.")
    String only;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TokenSigningKey key = TokenSigningKey.openOrCreate(pkiDir);
        PrintWriter out = spec.commandLine().getOut();
        String cfgLine = "headendPublicKeys=" + key.gatewayConfigEntry();
        String file = key.publicKeyFile().toAbsolutePath().toString();
        if (only != null) {
            switch (only) {
                case "kid" -> out.println(key.kid());
                case "public-key-file" -> out.println(file);
                case "gateway-config" -> out.println(cfgLine);
                default -> throw new IllegalArgumentException(
                        "--print takes kid, public-key-file or gateway-config, got '" + only + "'");
            }
        } else {
            out.println("kid: " + key.kid());
            out.println("public key: " + file);
            out.println("gateway, conf/org.metergate.prepay.cfg:");
            out.println("  " + cfgLine);
            out.println("meter simulator: --headend-key " + key.kid() + "=" + file);
        }
        out.flush();
        return 0;
    }
}
