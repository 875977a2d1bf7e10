// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar metergate-headend.jar run|read-now|status|send-token|pay|emergency|sts|signing-key|sign-csr ...} */
@Command(name = "metergate-headend", mixinStandardHelpOptions = true, version = "Metergate head-end simulator 0.1.0",
        description = "Head-end simulator: an MQTT 5 broker (mutual TLS, one topic tree per gateway) and a head-end "
                + "that shows what the gateways send and sends them commands.",
        subcommands = {RunCommand.class, CommandCommands.ReadNow.class, CommandCommands.Status.class,
            CommandCommands.SendToken.class, TokenCommands.Pay.class, TokenCommands.Emergency.class,
            TokenCommands.Sts.class, SigningKeyCommand.class, SignCsrCommand.class})
public final class HeadendCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with technician-readable errors instead of stack traces. */
    static CommandLine commandLine() {
        // Artemis logs through slf4j-simple: warnings (e.g. refused TLS handshakes) are useful, INFO is noise
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        CommandLine cl = new CommandLine(new HeadendCli());
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            PrintWriter err = line.getErr();
            err.println("error: " + message(e));
            err.flush();
            return 2;
        });
        return cl;
    }

    private static String message(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
                b.append(": ").append(c.getMessage());
            }
        }
        return b.toString();
    }
}
