// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.cli;

import org.metergate.simulator.dlms.DlmsCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code metergate-sim}: the simulator's command line. Each simulator kind is a subcommand; add a new one
 * to {@code subcommands} below.
 */
@Command(name = "metergate-sim", mixinStandardHelpOptions = true, version = "metergate-sim 0.1.0",
        description = "Metergate simulators: virtual meters for testing a gateway or head-end without hardware.",
        subcommands = { MetersCommand.class, DlmsCommand.class, CommandLine.HelpCommand.class })
public final class SimulatorCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand; try 'meters'");
    }

    public static CommandLine commandLine() {
        return new CommandLine(new SimulatorCli());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
