// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.gogo.runtime.Reflective;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mg:setup-code, invoked the way the Gogo shell resolves a hyphenated command. */
class ConsoleCommandsTest {

    @TempDir
    Path temp;

    private static String run(ConsoleCommands commands, Object... arguments) throws Exception {
        return String.valueOf(Reflective.invoke(null, commands, "setup-code", new ArrayList<>(List.of(arguments))));
    }

    @Test
    void printsTheCodeUntilThePasswordIsSet() throws Exception {
        Path directory = ConsoleDirectory.of(temp.resolve("data").toString());
        ConsoleCommands commands = new ConsoleCommands(directory);
        assertThat(run(commands)).contains("No setup code yet");

        SecureRandom random = new SecureRandom();
        Credentials credentials = Credentials.open(new OwnerOnlyFiles(directory), new PasswordHash(random, 1000),
                new SetupCodes(random));
        String code = credentials.setupCode().orElseThrow();
        assertThat(run(commands)).isEqualTo("Console setup code: " + code
                + " (works once, to set the console password)");
        assertThat(run(commands, "extra")).startsWith("usage:");

        credentials.completeSetup(code, "meter-room-42".toCharArray(), "meter-room-42".toCharArray());
        assertThat(run(commands)).contains("already set").doesNotContain(code);
    }
}
