// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.metergate.api.discovery.MeterProposal;
import org.metergate.api.link.LinkAddress;

/** The shell's discovery commands as text: {@code mg:discover}, {@code mg:discovery}, {@code mg:accept}. */
final class DiscoveryShell {

    private DiscoveryShell() {
    }

    static String start(Discovery discovery, String... servers) {
        List<LinkAddress> links;
        try {
            links = DiscoverySection.serialServers(String.join(" ", servers));
        } catch (IllegalArgumentException e) {
            return "usage: mg:discover [host:port ...] - " + e.getMessage();
        }
        Optional<String> refused = discovery.start(links);
        if (refused.isPresent()) {
            return refused.get();
        }
        DiscoveryProgress progress = discovery.progress();
        return "Discovery started on " + progress.total() + (progress.total() == 1 ? " link" : " links")
                + "; mg:discovery shows its progress and findings, mg:accept <n> configures finding n.";
    }

    static String accept(Discovery discovery, String... arguments) {
        if (arguments.length != 1) {
            return "usage: mg:accept <n> - n is the finding's number in mg:discovery";
        }
        int number;
        try {
            number = Integer.parseInt(arguments[0].strip());
        } catch (NumberFormatException e) {
            return "usage: mg:accept <n> - '" + arguments[0] + "' is not a number";
        }
        try {
            String meterId = discovery.accept(number);
            return "Configured meter " + meterId + "; it appears in mg:meters and on the console's meters page.";
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            return "Not configured: " + e.getMessage();
        }
    }

    static String show(DiscoveryProgress progress) {
        if (progress.started() == null) {
            return "No discovery yet; mg:discover [host:port ...] starts one.";
        }
        StringBuilder out = new StringBuilder();
        if (progress.running()) {
            out.append("Discovery running: ").append(progress.done()).append(" of ").append(progress.total())
                    .append(" links done");
            if (!progress.step().isEmpty()) {
                out.append(", now probing ").append(progress.step());
            }
        } else {
            out.append("Discovery finished at ").append(Text.time(progress.finished())).append(" after ")
                    .append(Text.duration(Duration.between(progress.started(), progress.finished())))
                    .append(": ").append(progress.total()).append(progress.total() == 1 ? " link" : " links");
        }
        out.append('\n');
        for (DiscoveryFinding f : progress.findings()) {
            out.append(String.format("%3d  %s  ", f.number(), f.link()));
            MeterProposal p = f.proposal();
            if (p == null) {
                out.append(f.outcome()).append('\n');
                continue;
            }
            out.append(p.protocol()).append(' ').append(p.identification());
            out.append(f.acceptedAs() != null ? "  [accepted as meter " + f.acceptedAs() + "]"
                    : "  [mg:accept " + f.number() + "]").append('\n');
            out.append("     ").append(p.details()).append('\n');
            out.append("     ").append(p.factoryPid()).append(": ").append(p.settings()).append('\n');
        }
        return out.toString().stripTrailing();
    }
}
