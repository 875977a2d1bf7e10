// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code mg:setup-code}: prints the console's one-time setup code while no console password is set. Gogo cannot call
 * a method with a hyphen in its name, so the command arrives at {@link #_main} with its name first.
 */
@Component(service = Object.class, property = {"osgi.command.scope=mg", "osgi.command.function=setup-code"})
public class ConsoleCommands {

    private final Path directory;

    @Activate
    public ConsoleCommands(BundleContext context) {
        this(ConsoleDirectory.of(context.getProperty(ConsoleDirectory.DATA_DIR_PROPERTY)));
    }

    ConsoleCommands(Path directory) {
        this.directory = directory;
    }

    public String _main(String command, String... arguments) {
        if (!"setup-code".equals(command)) {
            return "unknown command " + command;
        }
        if (arguments.length > 0) {
            return "usage: mg:setup-code (no arguments)";
        }
        return setupCode();
    }

    String setupCode() {
        try {
            Optional<String> password = read(Credentials.PASSWORD_FILE);
            if (password.isPresent()) {
                return "The console password is already set; the setup code was used. To start over, stop the "
                        + "gateway, delete " + directory.resolve(Credentials.PASSWORD_FILE) + " and start it again.";
            }
            return read(Credentials.SETUP_CODE_FILE).filter(SetupCodes::wellFormed)
                    .map(code -> "Console setup code: " + code + " (works once, to set the console password)")
                    .orElse("No setup code yet: the console creates one when it starts (see the log).");
        } catch (IOException e) {
            return "Cannot read the console directory " + directory + ": " + e.getMessage();
        }
    }

    private Optional<String> read(String name) throws IOException {
        Path file = directory.resolve(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(Files.readString(file).strip()).filter(s -> !s.isEmpty());
    }
}
