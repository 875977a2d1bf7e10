// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.metergate.console.internal.Html.escape;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.metergate.api.credit.Receipt;
import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.StoredReceipt;
import org.metergate.api.ledger.TokenHistory;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.ProfileCatchUp;
import org.metergate.api.meter.Reading;
import org.metergate.console.internal.LiveValues.Series;

/** One meter's page as HTML: state, last readout, plots of the last hour, credit, relay and tokens. */
final class MeterPages {

    /** Available credit of a prepaid DLMS meter (account, IC 111 attribute 5), as the metering bundle reads it. */
    static final ObisCode CREDIT = ObisCode.parse("0-0:19.0.0.255");
    /** Disconnect control output state: 1 = relay connected. */
    static final ObisCode RELAY = ObisCode.parse("0-0:96.3.10.255");

    // keys of the metering bundle's per-meter state (MeterStateStore), as it writes them for DLMS meters
    static final String DAILY_DAY = "daily.day";
    static final String DAILY_CONSUMPTION = "daily.consumption";
    static final String CLOCK_DRIFT = "clock.drift";

    /**
     * What the ledger says about this meter: its newest tokens ({@code recent}, newest first, at most
     * {@link MeterSection#HISTORY}), the tokens still waiting for it, the token asked for by id ({@code looked}
     * null when none was asked or found, {@code lookupError} says why), or {@code unavailable} when the ledger
     * cannot be read.
     */
    record Tokens(List<TokenHistory> recent, List<TokenHistory> open, TokenHistory looked, String asked,
            String lookupError, String unavailable) {

        Tokens(List<TokenHistory> recent, List<TokenHistory> open, TokenHistory looked, String asked,
                String lookupError) {
            this(recent, open, looked, asked, lookupError, null);
        }

        static Tokens unavailable(String why) {
            return new Tokens(List.of(), List.of(), null, "", null, why);
        }
    }

    private MeterPages() {
    }

    static String path(String meterId) {
        return MeterSection.PREFIX + URLEncoder.encode(meterId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String meter(MeterStatus meter, MeterReadout readout, Map<String, String> stored, List<Series> live,
            Tokens tokens, Instant now, String csrfToken) {
        StringBuilder body = new StringBuilder();
        body.append("<p><a href=\"/meters\">All meters</a></p><dl class=\"facts\">");
        fact(body, "State", Text.state(meter.state()));
        fact(body, "Protocol", meter.protocol());
        fact(body, "Link", meter.link());
        fact(body, "Last read", Text.time(meter.lastSuccess()));
        fact(body, "Next read", Text.time(meter.nextPoll()));
        if (meter.lastError() != null && !meter.lastError().isBlank()) {
            fact(body, "Problem", meter.lastError() + (meter.consecutiveFailures() > 1
                    ? " (" + meter.consecutiveFailures() + " failures in a row)" : ""));
        }
        daily(stored).ifPresent(used -> fact(body, "Last full day", used));
        if ("high".equals(stored.get(CLOCK_DRIFT))) {
            fact(body, "Meter clock", "off by more than the allowed drift: its readings are marked clock-uncertain "
                    + "until the meter clock is set");
        }
        body.append("</dl>");
        if (meter.catchUp() != null) {
            catchUp(body, meter.catchUp());
        }
        Optional<Reading> credit = numeric(readout, CREDIT);
        Optional<Reading> relay = numeric(readout, RELAY);
        if (credit.isPresent() || relay.isPresent()) {
            prepaid(body, credit, relay, readout);
        }
        lastReadout(body, readout);
        plots(body, live, now);
        if (credit.isPresent() || relay.isPresent() || !tokens.recent().isEmpty() || !tokens.open().isEmpty()
                || tokens.looked() != null) {
            tokens(body, meter.meterId(), tokens);
        }
        body.append("<p class=\"at\">As of ").append(escape(Text.time(now))).append("; this page reloads every ")
                .append(MeterSection.refreshSeconds(meter)).append(" seconds.</p>");
        return Html.page("Meter " + meter.meterId(), csrfToken, body.toString());
    }

    /** "catching up the load profile: 96 of 288 captures (2026-03-02 10:00 to 2026-03-05 10:07 UTC)". */
    static String catchUpInWords(ProfileCatchUp progress) {
        return "catching up the load profile: " + progress.inWords();
    }

    private static void catchUp(StringBuilder body, ProfileCatchUp progress) {
        body.append("<section class=\"progress catch-up\" aria-live=\"polite\"><h2>Load-profile catch-up</h2><p>");
        if (progress.expectationKnown()) {
            body.append("<progress max=\"").append(progress.capturesExpected()).append("\" value=\"")
                    .append(Math.min(progress.capturesFetched(), progress.capturesExpected())).append("\"></progress> ");
        } else {
            body.append("<progress></progress> "); // the meter gives no capture period: no total to measure against
        }
        body.append("<span class=\"count\">").append(escape(catchUpInWords(progress))).append("</span></p><p>")
                .append("Started ").append(escape(Text.time(progress.startedAt()))).append(". The meter kept the ")
                .append("captures the gateway has not queued yet (after an outage, a restart or a first start); ")
                .append("they are read in chunks and queued for the head-end in the order the meter took them.</p>")
                .append("</section>");
    }

    private static void prepaid(StringBuilder body, Optional<Reading> credit, Optional<Reading> relay,
            MeterReadout readout) {
        body.append("<h2>Prepaid</h2><dl class=\"facts prepaid\">");
        credit.ifPresent(c -> fact(body, "Credit balance", c.scaledValue().toPlainString()
                + (c.unit().isEmpty() ? "" : " " + c.unit())));
        relay.ifPresent(r -> fact(body, "Relay", relay(r.scaledValue())));
        fact(body, "Read", Text.time(readout.readAt()));
        body.append("</dl>");
    }

    /** "used 7.415 kWh on 2026-02-28" from the stored daily values; empty until a day is complete. */
    static Optional<String> daily(Map<String, String> stored) {
        String day = stored.get(DAILY_DAY);
        String consumption = stored.get(DAILY_CONSUMPTION);
        if (day == null || consumption == null || consumption.isBlank()) {
            return Optional.empty();
        }
        String[] valueAndUnit = consumption.strip().split(" ", 2);
        String unit = valueAndUnit.length > 1 ? valueAndUnit[1] : "";
        try {
            BigDecimal value = new BigDecimal(valueAndUnit[0]);
            String used = "Wh".equals(unit) ? value.movePointLeft(3).setScale(3, RoundingMode.HALF_UP).toPlainString()
                    + " kWh" : value.toPlainString() + (unit.isEmpty() ? "" : " " + unit);
            return Optional.of("used " + used + " on " + LocalDate.parse(day).minusDays(1));
        } catch (NumberFormatException | DateTimeException e) {
            return Optional.of("daily consumption '" + consumption + "' of " + day + " is unreadable");
        }
    }

    static String relay(BigDecimal outputState) {
        if (outputState.compareTo(BigDecimal.ONE) == 0) {
            return "connected (supply on)";
        }
        if (outputState.signum() == 0) {
            return "disconnected (supply off)";
        }
        return "state " + outputState.toPlainString() + " (not 0 or 1: the meter reports something unexpected)";
    }

    private static void lastReadout(StringBuilder body, MeterReadout readout) {
        body.append("<h2>Last reading</h2>");
        if (readout == null || readout.readings().isEmpty()) {
            body.append("<p>None yet: the meter has not been read successfully since the gateway started.</p>");
            return;
        }
        body.append("<p>Read ").append(escape(Text.time(readout.readAt())));
        if (readout.identification() != null && !readout.identification().isBlank()) {
            body.append(", meter identification <code>").append(escape(readout.identification())).append("</code>");
        }
        body.append("</p><table class=\"readings\"><thead><tr><th>OBIS</th><th>Value</th><th>Unit</th>")
                .append("<th>Status</th><th>Meter time</th></tr></thead><tbody>");
        for (Reading r : readout.readings()) {
            body.append("<tr><td>").append(escape(r.obis().toString())).append("</td><td>")
                    .append(escape(r.isNumeric() ? r.scaledValue().toPlainString() : r.text())).append("</td><td>")
                    .append(escape(r.unit())).append("</td><td>")
                    .append(escape(r.status().name().toLowerCase(Locale.ROOT))).append("</td><td>")
                    .append(escape(Text.time(r.timestamp()))).append("</td></tr>");
        }
        body.append("</tbody></table>");
    }

    private static void plots(StringBuilder body, List<Series> live, Instant now) {
        body.append("<h2>Live values, last hour</h2>");
        if (live.isEmpty()) {
            body.append("<p>No values yet: the plots fill as the meter is read (the console keeps the last hour in "
                    + "memory; a restart starts them empty).</p>");
            return;
        }
        body.append("<div class=\"plots\">");
        for (Series series : live) {
            body.append("<figure><figcaption>").append(escape(series.obis().toString())).append(": ")
                    .append(escape(Plot.number(series.last().value())))
                    .append(series.unit().isEmpty() ? "" : " " + escape(series.unit())).append(" (")
                    .append(series.points().size()).append(series.points().size() == 1 ? " reading" : " readings")
                    .append(")</figcaption>").append(Plot.svg(series, now, LiveValues.WINDOW)).append("</figure>");
        }
        body.append("</div>");
    }

    private static void tokens(StringBuilder body, String meterId, Tokens tokens) {
        body.append("<h2>Credit tokens</h2>");
        if (tokens.unavailable() != null) {
            body.append("<p class=\"error\">").append(escape(tokens.unavailable())).append("</p>");
            return;
        }
        history(body, meterId, tokens.recent());
        body.append("<h3>Waiting for this meter</h3>");
        if (tokens.open().isEmpty()) {
            body.append("<p>None: every token received for this meter has been entered or has expired.</p>");
        } else {
            for (TokenHistory token : tokens.open()) {
                token(body, token);
            }
        }
        body.append("<h3>Look up a token</h3><form method=\"get\" action=\"").append(escape(path(meterId)))
                .append("\"><label>Token id (jti) <input name=\"token\" value=\"").append(escape(tokens.asked()))
                .append("\" autocomplete=\"off\"></label><button type=\"submit\">Show its receipts</button></form>");
        body.append(Html.error(tokens.lookupError()));
        if (tokens.looked() != null) {
            token(body, tokens.looked());
        }
    }

    /** One line per token, newest first: where each got to, by its last receipt; the id links to all receipts. */
    private static void history(StringBuilder body, String meterId, List<TokenHistory> recent) {
        body.append("<h3>Recent tokens</h3>");
        if (recent.isEmpty()) {
            body.append("<p>None: no token for this meter is in the ledger (finished tokens are pruned soon after "
                    + "their validity ends).</p>");
            return;
        }
        body.append("<table class=\"tokens\"><thead><tr><th>Token (jti)</th><th>Kind</th><th>Amount</th>")
                .append("<th>State</th><th>Last receipt</th><th>Received</th><th>Last change</th>")
                .append("<th>Valid until</th></tr></thead><tbody>");
        for (TokenHistory token : recent) {
            LedgerEntry e = token.entry();
            Optional<StoredReceipt> last = token.lastReceipt();
            body.append("<tr><td><a href=\"").append(escape(path(meterId) + "?token="
                    + URLEncoder.encode(e.tokenId(), StandardCharsets.UTF_8))).append("\"><code>")
                    .append(escape(e.tokenId())).append("</code></a></td><td>").append(escape(e.kind()))
                    .append("</td><td>").append(escape(money(e.amountMinor(), e.currency()))).append("</td><td>")
                    .append(escape(stateWithOutcome(e))).append("</td><td>")
                    .append(escape(last.map(MeterPages::lastStage).orElse("none"))).append(" (")
                    .append(token.receipts().size()).append(token.receipts().size() == 1 ? " receipt" : " receipts")
                    .append(")</td><td>").append(escape(Text.time(e.acceptedAt()))).append("</td><td>")
                    .append(escape(last.map(r -> Text.time(r.receipt().at())).orElse(""))).append("</td><td>")
                    .append(escape(Text.time(e.expiresAt()))).append("</td></tr>");
        }
        body.append("</tbody></table>");
        if (recent.size() >= MeterSection.HISTORY) {
            body.append("<p>The newest ").append(MeterSection.HISTORY).append(" tokens; look up an older one by its ")
                    .append("id below.</p>");
        }
    }

    /** "meter-result: token accepted by the meter", "balance 37.10 EUR". */
    private static String lastStage(StoredReceipt stored) {
        Receipt r = stored.receipt();
        String text = r.stage().wireName();
        if (r.balanceMinor() != null) {
            text += " " + money(r.balanceMinor(), r.currency());
        }
        if (r.detail() != null && !r.detail().isBlank()) {
            text += ": " + r.detail();
        }
        return text;
    }

    private static void token(StringBuilder body, TokenHistory token) {
        LedgerEntry e = token.entry();
        body.append("<section class=\"token\"><h4>Token <code>").append(escape(e.tokenId())).append("</code></h4>")
                .append("<dl class=\"facts\">");
        fact(body, "Kind", e.kind());
        fact(body, "Amount", money(e.amountMinor(), e.currency()));
        fact(body, "Received", Text.time(e.acceptedAt()));
        fact(body, "Valid until", Text.time(e.expiresAt()));
        fact(body, "State", stateWithOutcome(e));
        body.append("</dl><table class=\"receipts\"><thead><tr><th>Time</th><th>Receipt</th><th>Detail</th>")
                .append("<th>Balance</th><th>Sent to the head-end</th></tr></thead><tbody>");
        for (StoredReceipt stored : token.receipts()) {
            Receipt r = stored.receipt();
            body.append("<tr><td>").append(escape(Text.time(r.at()))).append("</td><td>")
                    .append(escape(r.stage().wireName())).append("</td><td>").append(escape(r.detail()))
                    .append("</td><td>").append(r.balanceMinor() == null ? ""
                            : escape(money(r.balanceMinor(), r.currency())))
                    .append("</td><td>").append(stored.uplinked() ? "yes" : "waiting").append("</td></tr>");
        }
        body.append("</tbody></table></section>");
    }

    private static String stateWithOutcome(LedgerEntry e) {
        return state(e) + (e.outcome() == null || e.outcome().isBlank() ? "" : ": " + e.outcome());
    }

    private static String state(LedgerEntry e) {
        return switch (e.state()) {
            case QUEUED -> "waiting for the meter";
            case ENTERING -> "being entered into the meter";
            case DONE -> "entered";
            case EXPIRED -> "expired before the meter took it";
        };
    }

    /** Minor units in the currency's own decimals (2 when the code is unknown). */
    static String money(long minor, String currency) {
        int digits = 2;
        if (currency != null && !currency.isBlank()) {
            try {
                digits = Math.max(0, Currency.getInstance(currency.strip()).getDefaultFractionDigits());
            } catch (IllegalArgumentException unknown) {
                digits = 2;
            }
        }
        return BigDecimal.valueOf(minor, digits).toPlainString()
                + (currency == null || currency.isBlank() ? "" : " " + currency.strip());
    }

    private static Optional<Reading> numeric(MeterReadout readout, ObisCode obis) {
        if (readout == null) {
            return Optional.empty();
        }
        return readout.readings().stream().filter(r -> r.isNumeric() && r.obis().equals(obis)).findFirst();
    }

    private static void fact(StringBuilder body, String name, String value) {
        body.append("<dt>").append(escape(name)).append("</dt><dd>").append(escape(value)).append("</dd>");
    }
}
