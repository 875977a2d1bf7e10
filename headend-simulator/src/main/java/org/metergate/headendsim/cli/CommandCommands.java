// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.metergate.headendsim.CommandResponse;
import org.metergate.headendsim.HeadendSimulator;
import org.metergate.headendsim.Pki;

import com.google.gson.GsonBuilder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** One-shot commands against a broker started by {@code run}. */
final class CommandCommands {

    private CommandCommands() {
    }

    /** Options and the connection every one-shot command needs. */
    abstract static class OneShot implements Callable<Integer> {
        @Mixin
        ConnectionOptions connection;

        @Option(names = "--gateway", required = true, paramLabel = "ID", description = "Gateway id.")
        String gateway;

        @Option(names = "--timeout", defaultValue = "15", paramLabel = "SECONDS",
                description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Spec
        CommandSpec spec;

        HeadendSimulator connect() throws Exception {
            HeadendSimulator.Builder b = HeadendSimulator.connectTo(connection.uri())
                    .clientId("headend-cli-" + UUID.randomUUID().toString().substring(0, 8));
            if (!connection.insecurePlaintext) {
                Pki pki = Pki.open(connection.pkiDir);
                b.tls(pki.sslContext(pki.identityFor(Pki.HEADEND_CN)));
            }
            return b.start();
        }

        Duration timeout() {
            return Duration.ofSeconds(timeoutSeconds);
        }

        int print(CommandResponse r) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(new GsonBuilder().setPrettyPrinting().create().toJson(r.document()));
            out.flush();
            return r.ok() ? 0 : 1;
        }
    }

    @Command(name = "read-now", mixinStandardHelpOptions = true,
            description = "Ask a gateway to read a meter now and print its answer (exit 1 if it failed).")
    static final class ReadNow extends OneShot {
        @Option(names = "--meter", required = true, paramLabel = "ID", description = "Meter id on that gateway.")
        String meter;

        @Override
        public Integer call() throws Exception {
            try (HeadendSimulator h = connect()) {
                return print(h.readNow(gateway, meter, timeout()));
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Ask a gateway for its link and meter status (get-status) and print it.")
    static final class Status extends OneShot {
        @Override
        public Integer call() throws Exception {
            try (HeadendSimulator h = connect()) {
                return print(h.getStatus(gateway, timeout()));
            }
        }
    }

    @Command(name = "send-token", mixinStandardHelpOptions = true,
            description = "Publish a signed credit token (JWS compact) to a gateway; receipts show in 'run'.")
    static final class SendToken extends OneShot {
        @Option(names = "--token", required = true, paramLabel = "JWS", description = "The token, header.payload.signature.")
        String token;

        @Override
        public Integer call() throws Exception {
            try (HeadendSimulator h = connect()) {
                String msgId = h.sendToken(gateway, token.trim(), timeout());
                spec.commandLine().getOut().println("token sent to mg/v1/" + gateway + "/credit/tokens (msgId " + msgId + ")");
                spec.commandLine().getOut().flush();
                return 0;
            }
        }
    }
}
