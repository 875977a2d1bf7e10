// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.time.Duration;

/**
 * How long a meter waits before it gives a session up and waits for a new sign-on.
 *
 * @param interCharacter        silence allowed inside one message (the standard's 1.5 s)
 * @param optionSelect          time the client has to send the option select after the identification
 * @param programmingInactivity silence allowed between commands in programming mode
 */
public record SessionTimeouts(Duration interCharacter, Duration optionSelect, Duration programmingInactivity) {

    public static final SessionTimeouts STANDARD = new SessionTimeouts(Duration.ofMillis(1500), Duration.ofSeconds(5),
            Duration.ofSeconds(120));
}
