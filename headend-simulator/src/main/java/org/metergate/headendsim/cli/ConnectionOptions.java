// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Where the broker is and which PKI to use; shared by every subcommand. */
final class ConnectionOptions {

    @Option(names = "--port", defaultValue = "8883", description = "MQTT port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--pki-dir", defaultValue = "headend-pki", description = "Directory with the CA, broker and "
            + "client certificates; created on the first run (default: ${DEFAULT-VALUE}).")
    Path pkiDir;

    @Option(names = "--insecure-plaintext", description = "Plain MQTT without TLS, authentication or topic "
            + "authorization. Development on one machine only.")
    boolean insecurePlaintext;

    String uri() {
        return (insecurePlaintext ? "tcp" : "ssl") + "://127.0.0.1:" + port;
    }
}
