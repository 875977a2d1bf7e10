// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.util.Locale;

import org.metergate.api.uplink.LinkCheck;
import org.metergate.api.uplink.LinkCheckOutcome;
import org.metergate.api.uplink.LinkCheckReport;
import org.metergate.api.uplink.LinkCheckStep;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo: {@code mg:check-link} runs the connectivity check and prints each step with pass/fail, its time and the fix
 * to try. Gogo cannot call a method with a hyphen in its name, so the command arrives at {@link #_main}.
 */
@Component(service = Object.class, property = {"osgi.command.scope=mg", "osgi.command.function=check-link"})
public final class LinkCheckCommands {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LinkCheck check;

    public String _main(String command, String... arguments) {
        if (!"check-link".equals(command)) {
            return "unknown command " + command;
        }
        if (arguments.length > 0) {
            return "usage: mg:check-link (no arguments; it checks the configured head-end broker)";
        }
        LinkCheck c = check;
        if (c == null) {
            return "No head-end link is configured: set brokerUri in conf/" + HeadendComponent.PID
                    + ".cfg (and gatewayId in conf/org.metergate.security.cfg), then run mg:check-link again.";
        }
        return format(c.run(step -> { }));
    }

    static String format(LinkCheckReport report) {
        StringBuilder b = new StringBuilder("Connectivity check of ").append(report.brokerUri()).append('\n');
        for (LinkCheckStep s : report.steps()) {
            b.append(String.format(Locale.ROOT, "%-5s %-52s %8s  %s%n", label(s.outcome()), s.stage().title(),
                    s.outcome() == LinkCheckOutcome.SKIPPED ? "" : s.elapsed().toMillis() + " ms", s.detail()));
            if (s.fix() != null) {
                b.append("      Fix: ").append(s.fix()).append('\n');
            }
        }
        b.append(report.passed() ? "Result: the head-end link works."
                : "Result: the head-end link does not work; fix the first failed step and run mg:check-link again.");
        return b.toString();
    }

    private static String label(LinkCheckOutcome outcome) {
        return switch (outcome) {
            case PASSED -> "PASS";
            case FAILED -> "FAIL";
            case SKIPPED -> "SKIP";
            case RUNNING -> "...";
        };
    }
}
