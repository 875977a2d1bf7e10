// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.cli;

import java.time.Duration;
import java.util.Locale;

import org.metergate.simulator.Fault;
import org.metergate.simulator.SimulatedMeter;

/** {@code --fault m2=silent}, {@code m1=slow-reaction:3000}, {@code m3=corrupt-bcc}, {@code m4=truncated-block}. */
record FaultSpec(String meterId, Fault fault, Duration slowReaction) {

    static final String SYNTAX = "METER=FAULT with FAULT one of silent, corrupt-bcc, truncated-block, "
            + "slow-reaction[:MILLIS] (e.g. m2=silent, m1=slow-reaction:3000)";

    static FaultSpec parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException("fault '" + text + "' is not " + SYNTAX);
        }
        String meterId = text.substring(0, eq);
        String faultText = text.substring(eq + 1).toLowerCase(Locale.ROOT);
        Duration slow = null;
        if (faultText.startsWith("slow-reaction")) {
            slow = Duration.ofSeconds(3);
            if (faultText.startsWith("slow-reaction:")) {
                try {
                    slow = Duration.ofMillis(Long.parseLong(faultText.substring("slow-reaction:".length())));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("fault '" + text + "': reaction time must be milliseconds, "
                            + "e.g. m1=slow-reaction:3000");
                }
            } else if (!faultText.equals("slow-reaction")) {
                throw new IllegalArgumentException("fault '" + text + "' is not " + SYNTAX);
            }
            return new FaultSpec(meterId, Fault.SLOW_REACTION, slow);
        }
        try {
            return new FaultSpec(meterId, Fault.valueOf(faultText.replace('-', '_').toUpperCase(Locale.ROOT)), null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fault '" + text + "' is not " + SYNTAX);
        }
    }

    void applyTo(SimulatedMeter meter) {
        if (fault == Fault.SLOW_REACTION) {
            meter.injectSlowReaction(slowReaction);
        } else {
            meter.injectFault(fault);
        }
    }
}
