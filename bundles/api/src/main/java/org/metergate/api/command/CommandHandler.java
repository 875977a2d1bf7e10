// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.command;

import java.util.regex.Pattern;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Answers one head-end command. Publish it as a service; the head-end link calls it for every request on
 * {@code cmd/}{@link #command()}. Requests run one at a time on the link's command thread, so a handler must answer
 * in bounded time (every meter or network call it makes has its own timeout) and must not block for long.
 *
 * <p>Exactly one handler answers a name: a second service with the same name, or one with the name of a command
 * built into the link, is reported in the link's log and status and not called while the first one is there.
 */
@ConsumerType
public interface CommandHandler {

    /** What a command name looks like: lower-case words joined by single hyphens, at most 64 characters. */
    Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** Longest command name. */
    int MAX_NAME_LENGTH = 64;

    /** The command this handler answers, e.g. {@code set-low-credit-threshold}; constant for the service's life. */
    String command();

    /**
     * Runs the command. Problems with the request or the device are answered with {@link CommandResult#failure};
     * an exception thrown here is answered as {@code internal-error} and logged.
     *
     * @param request the parsed request document, never null
     * @return the answer, never null
     */
    CommandResult handle(CommandRequest request);

    /** True when {@code name} is a usable command name (it becomes one MQTT topic level). */
    static boolean isValidName(String name) {
        return name != null && name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
    }
}
