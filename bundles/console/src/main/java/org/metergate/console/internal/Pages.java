// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.metergate.console.internal.Html.escape;
import static org.metergate.console.internal.Html.hidden;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterState;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.Reading;
import org.metergate.api.outbox.OutboxStats;

/** The console's pages as HTML strings. */
final class Pages {

    static final int READINGS_SHOWN = 4;

    private Pages() {
    }

    static String setup(String formToken, String error) {
        String body = "<p>Set the console password. The one-time setup code is in the gateway log and printed by "
                + "<code>bin/metergate setup-code</code> (shell: <code>mg:setup-code</code>). It works once.</p>"
                + Html.error(error)
                + "<form method=\"post\" action=\"/setup\">" + hidden("form", formToken)
                + "<label>Setup code <input name=\"code\" autocomplete=\"off\" required></label>"
                + "<label>New password (at least " + Credentials.MIN_PASSWORD_LENGTH + " characters) "
                + "<input type=\"password\" name=\"password\" autocomplete=\"new-password\" required></label>"
                + "<label>Same password again "
                + "<input type=\"password\" name=\"confirm\" autocomplete=\"new-password\" required></label>"
                + "<button type=\"submit\">Set password</button></form>";
        return Html.page("First visit", null, body);
    }

    static String login(String formToken, String error) {
        String body = Html.error(error) + "<form method=\"post\" action=\"/login\">" + hidden("form", formToken)
                + "<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\" "
                + "required autofocus></label><button type=\"submit\">Log in</button></form>";
        return Html.page("Log in", null, body);
    }

    static String overview(GatewayStatus status, String csrfToken) {
        StringBuilder body = new StringBuilder();
        body.append("<dl class=\"facts\">");
        fact(body, "Gateway id", status.gatewayId() == null ? "not set" : status.gatewayId());
        fact(body, "Version", status.version());
        fact(body, "Up for", Text.duration(status.uptime()));
        fact(body, "Head-end link", status.headendLink());
        OutboxStats outbox = status.outbox();
        if (outbox == null) {
            fact(body, "Outbox", "not running");
        } else {
            fact(body, "Outbox", outbox.messages() + (outbox.messages() == 1 ? " message" : " messages")
                    + " waiting, " + outbox.payloadBytes() + " bytes");
            fact(body, "Oldest waiting", outbox.oldestCreatedAt() == null ? "none"
                    : Text.duration(Duration.between(outbox.oldestCreatedAt(), status.at())) + " old");
            if (outbox.droppedRoutine() > 0) {
                fact(body, "Dropped", outbox.droppedRoutine() + " routine messages (the outbox was full)");
            }
        }
        long online = status.meters().stream().filter(m -> m.state() == MeterState.ONLINE).count();
        fact(body, "Meters", status.meters().size() + " configured, " + online + " online");
        body.append("</dl><h2>Problems</h2>");
        problems(body, status.problems());
        body.append("<p class=\"at\">As of ").append(escape(Text.time(status.at()))).append("</p>");
        return Html.page("Overview", csrfToken, body.toString());
    }

    static String meters(GatewayStatus status, String csrfToken) {
        StringBuilder body = new StringBuilder();
        if (status.meters().isEmpty()) {
            body.append("<p>No meter is configured. Each meter has a file in <code>conf/</code>; the examples are "
                    + "in <code>conf/examples/</code>.</p>");
        } else {
            body.append("<table><thead><tr><th>Meter</th><th>Protocol</th><th>Link</th><th>State</th>")
                    .append("<th>Last read</th><th>Last reading</th><th>Problem</th></tr></thead><tbody>");
            for (MeterStatus meter : status.meters()) {
                body.append("<tr class=\"").append(escape(meter.state().name().toLowerCase(Locale.ROOT)))
                        .append("\"><td><a href=\"").append(escape(MeterPages.path(meter.meterId())))
                        .append("\">").append(escape(meter.meterId())).append("</a></td><td>")
                        .append(escape(meter.protocol())).append("</td><td>").append(escape(meter.link()))
                        .append("</td><td>").append(escape(Text.state(meter.state())))
                        .append(meter.catchUp() == null ? "" : "<br><small class=\"catch-up\">"
                                + escape(MeterPages.catchUpInWords(meter.catchUp())) + "</small>")
                        .append("</td><td>")
                        .append(escape(Text.time(meter.lastSuccess()))).append("</td><td>")
                        .append(readings(status.lastReadouts().get(meter.meterId()))).append("</td><td>")
                        .append(escape(meter.lastError() == null ? "" : meter.lastError())).append("</td></tr>");
            }
            body.append("</tbody></table>");
        }
        body.append("<p class=\"at\">As of ").append(escape(Text.time(status.at())));
        metersRefresh(status).ifPresent(seconds -> body.append("; this page reloads every ").append(seconds)
                .append(" seconds while a meter's load profile is caught up"));
        body.append("</p>");
        return Html.page("Meters", csrfToken, body.toString());
    }

    /** The meters page reloads itself (HTTP {@code Refresh}) only while some meter's load profile is caught up. */
    static OptionalInt metersRefresh(GatewayStatus status) {
        return status.meters().stream().anyMatch(m -> m.catchUp() != null)
                ? OptionalInt.of(MeterSection.CATCH_UP_REFRESH_SECONDS) : OptionalInt.empty();
    }

    static String message(String title, String text) {
        return Html.page(title, null, "<p>" + escape(text) + "</p>");
    }

    private static String readings(MeterReadout readout) {
        if (readout == null || readout.readings().isEmpty()) {
            return "none yet";
        }
        List<Reading> readings = readout.readings();
        String shown = readings.stream().limit(READINGS_SHOWN).map(r -> escape(r.display()))
                .collect(Collectors.joining("<br>"));
        if (readings.size() > READINGS_SHOWN) {
            shown += "<br>and " + (readings.size() - READINGS_SHOWN) + " more";
        }
        return shown + "<br><small>read " + escape(Text.time(readout.readAt())) + "</small>";
    }

    private static void fact(StringBuilder body, String name, String value) {
        body.append("<dt>").append(escape(name)).append("</dt><dd>").append(escape(value)).append("</dd>");
    }

    private static void problems(StringBuilder body, List<String> problems) {
        if (problems.isEmpty()) {
            body.append("<p class=\"ok\">None.</p>");
            return;
        }
        body.append("<ul class=\"problems\">");
        for (String problem : problems) {
            body.append("<li>").append(escape(problem)).append("</li>");
        }
        body.append("</ul>");
    }
}
