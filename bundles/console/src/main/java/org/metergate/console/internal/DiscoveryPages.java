// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.metergate.console.internal.Html.escape;
import static org.metergate.console.internal.Html.hidden;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.metergate.api.discovery.MeterProposal;
import org.metergate.api.link.PortInfo;

/** The ports and discovery page as HTML. */
final class DiscoveryPages {

    private DiscoveryPages() {
    }

    /**
     * @param ports serial ports to list; empty while a discovery runs
     * @param typed what the technician typed as serial servers, shown again after an error
     */
    static String discovery(DiscoveryProgress progress, List<PortInfo> ports, String typed, String error,
            String csrfToken) {
        StringBuilder body = new StringBuilder();
        body.append(Html.error(error));
        if (progress.running()) {
            running(body, progress);
        } else {
            portList(body, ports);
            startForm(body, typed, csrfToken);
        }
        findings(body, progress, csrfToken);
        return Html.page("Ports and discovery", csrfToken, body.toString());
    }

    private static void running(StringBuilder body, DiscoveryProgress progress) {
        body.append("<section class=\"progress\" aria-live=\"polite\"><h2>Discovery running</h2><p>")
                .append("<progress max=\"").append(Math.max(1, progress.total())).append("\" value=\"")
                .append(progress.done()).append("\"></progress> <span class=\"count\">").append(progress.done())
                .append(" of ").append(progress.total()).append(" links done</span></p>");
        if (!progress.step().isEmpty()) {
            body.append("<p>Now probing <span class=\"step\">").append(escape(progress.step())).append("</span></p>");
        }
        body.append("<p class=\"at\">This page reloads every ").append(DiscoverySection.REFRESH_SECONDS)
                .append(" seconds. Other pages can be used meanwhile.</p></section>");
    }

    private static void portList(StringBuilder body, List<PortInfo> ports) {
        body.append("<h2>Serial ports</h2>");
        if (ports.isEmpty()) {
            body.append("<p>This gateway lists no serial port. Plug in the optical probe or RS-485 adapter, or enter "
                    + "a serial server below.</p>");
            return;
        }
        body.append("<table class=\"ports\"><thead><tr><th>Port</th><th>Description</th><th>State</th></tr></thead>")
                .append("<tbody>");
        for (PortInfo port : ports) {
            body.append("<tr><td>").append(escape(port.path())).append("</td><td>")
                    .append(escape(port.description())).append("</td><td>")
                    .append(port.busy() ? "held by another program" : "free").append("</td></tr>");
        }
        body.append("</tbody></table>");
    }

    private static void startForm(StringBuilder body, String typed, String csrfToken) {
        body.append("<h2>Find meters</h2><p>Discovery asks every free serial port and every serial server entered "
                + "here: first the IEC 62056-21 sign-on at 300 baud, then a DLMS/COSEM association as the public "
                + "client. Each link takes a few seconds when a meter answers, longer when none does.</p>")
                .append("<form method=\"post\" action=\"/discovery/start\">").append(hidden("csrf", csrfToken))
                .append("<label>Serial servers (host:port, one per line, optional) <textarea name=\"servers\" rows=\"3\" ")
                .append("cols=\"40\">").append(escape(typed)).append("</textarea></label>")
                .append("<button type=\"submit\">Start discovery</button></form>");
    }

    private static void findings(StringBuilder body, DiscoveryProgress progress, String csrfToken) {
        if (progress.started() == null) {
            return;
        }
        body.append("<h2>Findings</h2>");
        if (!progress.running() && progress.finished() != null) {
            long found = progress.findings().stream().filter(f -> f.proposal() != null).count();
            body.append("<p class=\"done\">Discovery finished at ").append(escape(Text.time(progress.finished())))
                    .append(" after ").append(escape(Text.duration(Duration.between(progress.started(),
                            progress.finished())))).append(": ").append(found)
                    .append(found == 1 ? " meter" : " meters").append(" found on ").append(progress.total())
                    .append(progress.total() == 1 ? " link." : " links.").append("</p>");
        }
        if (progress.findings().isEmpty()) {
            body.append("<p>None yet.</p>");
            return;
        }
        body.append("<table class=\"findings\"><thead><tr><th>#</th><th>Link</th><th>Result</th><th>Proposed ")
                .append("configuration</th><th></th></tr></thead><tbody>");
        for (DiscoveryFinding f : progress.findings()) {
            MeterProposal p = f.proposal();
            body.append("<tr><td>").append(f.number()).append("</td><td>").append(escape(f.link().toString()))
                    .append("</td><td>");
            if (p == null) {
                body.append(escape(f.outcome()));
            } else {
                body.append("<strong>").append(escape(p.protocol())).append("</strong> ")
                        .append(escape(p.identification())).append("<br><small>").append(escape(p.details()))
                        .append("</small>");
            }
            body.append("</td><td>");
            if (p != null) {
                settings(body, p);
            }
            body.append("</td><td>");
            if (f.acceptedAs() != null) {
                body.append("Accepted as meter ").append(escape(f.acceptedAs()))
                        .append(": see <a href=\"/meters\">Meters</a>");
            } else if (p != null) {
                body.append("<form method=\"post\" action=\"/discovery/accept\">").append(hidden("csrf", csrfToken))
                        .append(hidden("finding", Integer.toString(f.number())))
                        .append("<button type=\"submit\">Accept ").append(escape(p.meterId()))
                        .append("</button></form>");
            }
            body.append("</td></tr>");
        }
        body.append("</tbody></table>");
    }

    private static void settings(StringBuilder body, MeterProposal p) {
        body.append("<code>").append(escape(p.factoryPid())).append("</code><ul class=\"settings\">");
        for (Map.Entry<String, Object> e : p.settings().entrySet()) {
            body.append("<li>").append(escape(e.getKey())).append(" = ").append(escape(String.valueOf(e.getValue())))
                    .append("</li>");
        }
        body.append("</ul>");
    }
}
