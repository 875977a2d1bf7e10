// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.metergate.console.internal.Html.escape;
import static org.metergate.console.internal.Html.hidden;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.metergate.api.uplink.LinkCheckOutcome;
import org.metergate.api.uplink.LinkCheckStage;
import org.metergate.api.uplink.LinkCheckStep;

/** The connectivity page as HTML: one row per step with its result, time, what was found and what to try. */
final class ConnectivityPages {

    static final String TITLE = "Connectivity";

    private ConnectivityPages() {
    }

    static String connectivity(LinkChecks.Snapshot snapshot, String error, String csrfToken) {
        StringBuilder body = new StringBuilder();
        body.append("<p>The check goes from the gateway to the head-end broker the way the link does, with the "
                + "configured broker address and the device certificate: find the broker, reach its port, secure the "
                + "connection, log in with MQTT 5, and send <code>get-status</code> to the gateway itself through the "
                + "broker.</p>");
        body.append(Html.error(error));
        if (snapshot.running()) {
            body.append("<p class=\"at\" aria-live=\"polite\">Check running since ")
                    .append(escape(Text.time(snapshot.startedAt()))).append("; this page reloads every ")
                    .append(ConnectivitySection.REFRESH_SECONDS).append(" second.</p>");
        } else {
            body.append("<form method=\"post\" action=\"/connectivity/start\">").append(hidden("csrf", csrfToken))
                    .append("<button type=\"submit\">").append(snapshot.started() ? "Run the check again"
                            : "Run the check").append("</button></form>");
        }
        if (snapshot.started()) {
            steps(body, snapshot);
        }
        return Html.page(TITLE, csrfToken, body.toString());
    }

    private static void steps(StringBuilder body, LinkChecks.Snapshot snapshot) {
        if (snapshot.report() != null) {
            boolean passed = snapshot.report().passed();
            body.append("<p class=\"").append(passed ? "verdict ok" : "verdict error").append("\" role=\"status\">")
                    .append(passed ? "The head-end link works." : "The head-end link does not work: fix the first "
                            + "failed step and run the check again.")
                    .append("</p>");
            if (snapshot.report().brokerUri() != null) {
                body.append("<p>Broker: <code>").append(escape(snapshot.report().brokerUri())).append("</code></p>");
            }
        }
        Map<LinkCheckStage, LinkCheckStep> byStage = snapshot.steps().stream()
                .collect(Collectors.toMap(LinkCheckStep::stage, Function.identity()));
        body.append("<table class=\"checks\"><thead><tr><th>Step</th><th>Result</th><th>Time</th>")
                .append("<th>What was found</th><th>What to try</th></tr></thead><tbody>");
        for (LinkCheckStage stage : LinkCheckStage.values()) {
            LinkCheckStep step = byStage.get(stage);
            body.append("<tr class=\"").append(step == null ? "waiting" : step.outcome().name().toLowerCase())
                    .append("\"><td>").append(escape(stage.title())).append("</td><td class=\"result\">")
                    .append(result(step)).append("</td><td>").append(time(step)).append("</td><td>")
                    .append(step == null || step.outcome() == LinkCheckOutcome.RUNNING ? "" : escape(step.detail()))
                    .append("</td><td>").append(step == null || step.fix() == null ? "" : escape(step.fix()))
                    .append("</td></tr>");
        }
        body.append("</tbody></table>");
    }

    private static String result(LinkCheckStep step) {
        if (step == null) {
            return "waiting";
        }
        return switch (step.outcome()) {
            case RUNNING -> "running…";
            case PASSED -> "passed";
            case FAILED -> "failed";
            case SKIPPED -> "not run";
        };
    }

    private static String time(LinkCheckStep step) {
        if (step == null || step.outcome() == LinkCheckOutcome.RUNNING || step.outcome() == LinkCheckOutcome.SKIPPED) {
            return "";
        }
        return step.elapsed().toMillis() + " ms";
    }
}
