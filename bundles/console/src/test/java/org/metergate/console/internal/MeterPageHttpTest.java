// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.credit.Receipt;
import org.metergate.api.credit.ReceiptStage;
import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.ledger.TokenState;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterState;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.Reading;
import org.metergate.api.meter.ReadingStatus;
import org.metergate.store.embedded.EmbeddedStore;
import org.metergate.store.embedded.Stores;

/**
 * A prepaid meter's page over HTTPS: last reading, the plot of the readouts the console sampled in the last hour (one
 * polyline point per readout), credit and relay from the readout, the daily consumption and clock drift the metering
 * bundle stored, the tokens with their receipts, all from the store's real in-memory store and token ledger. Time is a fixed clock moved by the test.
 */
@Timeout(60)
class MeterPageHttpTest {

    private static final ObisCode POWER = ObisCode.parse("1-0:1.7.0.255");
    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");

    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock(START);
    private final Metering metering = new Metering();
    private final EmbeddedStore store = Stores.memory();
    private final TokenLedger ledger = store.tokenLedger();
    private final LiveValues live = new LiveValues();
    private PinnedConsole console;

    /** One prepaid DLMS meter whose last readout the test sets. */
    private static final class Metering implements MeteringService {
        volatile MeterReadout last;

        @Override
        public List<MeterStatus> meters() {
            return List.of(new MeterStatus("prepaid-1", "DLMS/COSEM", "tcp://127.0.0.1:4059", MeterState.ONLINE,
                    last == null ? null : last.readAt(), last == null ? null : last.readAt(), null, 0, null));
        }

        @Override
        public Optional<MeterStatus> meter(String meterId) {
            return meters().stream().filter(m -> m.meterId().equals(meterId)).findFirst();
        }

        @Override
        public Optional<MeterReadout> lastReadout(String meterId) {
            return "prepaid-1".equals(meterId) ? Optional.ofNullable(last) : Optional.empty();
        }

        @Override
        public MeterReadout readNow(String meterId) throws MeterException {
            throw new MeterException(MeterException.Reason.REFUSED, "not read in this test");
        }
    }

    @AfterEach
    void stop() {
        if (console != null) {
            console.close();
        }
        store.close();
    }

    private void readout(Instant at, String powerKw, long creditCents, int relay) {
        metering.last = new MeterReadout("prepaid-1", "SIM0001", at, List.of(
                Reading.numeric("prepaid-1", POWER, new BigDecimal(powerKw), 0, "kW", at, ReadingStatus.OK),
                Reading.numeric("prepaid-1", MeterPages.CREDIT, BigDecimal.valueOf(creditCents), -2, "EUR", at,
                        ReadingStatus.OK),
                Reading.numeric("prepaid-1", MeterPages.RELAY, BigDecimal.valueOf(relay), 0, "", at,
                        ReadingStatus.OK),
                Reading.text("prepaid-1", ObisCode.parse("0-0:96.1.0.255"), "SIM0001", at, ReadingStatus.OK)));
        clock.set(at.plusSeconds(1));
        live.sample(metering, clock.instant());
    }

    @Test
    void showsTheValuesThePlotCreditRelayAndTokens() throws Exception {
        console = new PinnedConsole(temp, List.of(new MeterSection(clock, () -> metering, () -> ledger, store::meterState, live)));
        assertThat(console.browserPinning(console.identity.serverCertificate()).get("/meters/prepaid-1")
                .statusCode()).isEqualTo(303);

        // an hour and a half of readouts every 15 minutes: the plot keeps those of the last hour
        readout(START, "9.9", 3000, 1);
        readout(START.plus(Duration.ofMinutes(45)), "1.5", 2480, 1);
        readout(START.plus(Duration.ofMinutes(60)), "3.0", 1210, 1);
        readout(START.plus(Duration.ofMinutes(75)), "2.0", 0, 0);
        readout(START.plus(Duration.ofMinutes(75)), "2.0", 0, 0); // the same readout again adds no point
        clock.set(START.plus(Duration.ofMinutes(90)));

        Instant accepted = START.plus(Duration.ofMinutes(70));
        ledger.record(token("tok-done", 2500, accepted), receipt("tok-done", ReceiptStage.ACCEPTED, null, accepted));
        ledger.update("tok-done", TokenState.DONE, "credit added", List.of(
                receipt("tok-done", ReceiptStage.METER_RESULT, "token accepted by the meter",
                        accepted.plusSeconds(30)),
                new Receipt("tok-done", "prepaid-1", ReceiptStage.BALANCE, null, 3710L, "EUR",
                        accepted.plusSeconds(31))));
        ledger.record(token("tok-waiting", 1000, accepted.plusSeconds(60)),
                receipt("tok-waiting", ReceiptStage.ACCEPTED, null, accepted.plusSeconds(60)));
        LedgerEntry elsewhere = new LedgerEntry(0, "tok-other", "other-meter", "credit", 500, "EUR",
                "x".getBytes(StandardCharsets.US_ASCII), accepted, accepted.plus(Duration.ofDays(7)),
                TokenState.QUEUED, null);
        ledger.record(elsewhere, new Receipt("tok-other", "other-meter", ReceiptStage.ACCEPTED, null, null, null,
                accepted));

        // as the metering bundle stores them after the first read past midnight and a clock check
        store.meterState().appendWithState("prepaid-1", List.of(), Map.of(MeterPages.DAILY_DAY, "2026-03-01",
                MeterPages.DAILY_CONSUMPTION, "7415 Wh", MeterPages.CLOCK_DRIFT, "high"));

        Browser browser = console.loggedIn();
        HttpResponse<String> page = browser.get("/meters/prepaid-1");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Refresh")).hasValue(Integer.toString(MeterSection.REFRESH_SECONDS));
        String html = page.body();
        assertThat(html).contains("<h1>Meter prepaid-1</h1>").contains("online").contains("tcp://127.0.0.1:4059")
                .contains("<td>1-0:1.7.0*255</td><td>2.0</td><td>kW</td>").contains("SIM0001");
        assertThat(html).contains("<dt>Credit balance</dt><dd>0.00 EUR</dd>")
                .contains("<dt>Relay</dt><dd>disconnected (supply off)</dd>")
                .contains("<dt>Last full day</dt><dd>used 7.415 kWh on 2026-02-28</dd>")
                .contains("<dt>Meter clock</dt><dd>off by more than the allowed drift");

        // three readouts in the last hour: 15, 30 and 45 minutes of the 60 (x from 70 to 599), 1.5 kW lowest
        // (bottom, y 120) and 3.0 kW highest (top, y 10)
        List<String> points = polyline(html, "1-0:1.7.0*255");
        assertThat(points).containsExactly("202.3,120.0", "334.5,10.0", "466.8,83.3");
        assertThat(html).contains("<figcaption>1-0:1.7.0*255: 2 kW (3 readings)</figcaption>");
        assertThat(polyline(html, "0-0:19.0.0*255")).hasSize(3);

        // the history table: newest first, where each token got to by its last receipt, and when
        String history = between(html, "<h3>Recent tokens</h3>", "<h3>Waiting for this meter</h3>");
        assertThat(historyIds(history)).containsExactly("tok-waiting", "tok-done");
        assertThat(history).contains("<a href=\"/meters/prepaid-1?token=tok-done\"><code>tok-done</code></a></td>"
                + "<td>credit</td><td>25.00 EUR</td><td>entered: credit added</td>"
                + "<td>balance 37.10 EUR (3 receipts)</td><td>2026-03-01 09:10:00 UTC</td>"
                + "<td>2026-03-01 09:10:31 UTC</td><td>2026-03-08 09:10:00 UTC</td></tr>")
                .contains("<code>tok-waiting</code></a></td><td>credit</td><td>10.00 EUR</td>"
                        + "<td>waiting for the meter</td><td>accepted (1 receipt)</td>"
                        + "<td>2026-03-01 09:11:00 UTC</td><td>2026-03-01 09:11:00 UTC</td>")
                .doesNotContain("The newest");
        String waiting = between(html, "<h3>Waiting for this meter</h3>", "<h3>Look up a token</h3>");
        assertThat(waiting).contains("Token <code>tok-waiting</code>").contains("waiting for the meter")
                .contains("<dd>10.00 EUR</dd>").doesNotContain("tok-done");
        assertThat(html).doesNotContain("tok-other");

        String done = browser.get("/meters/prepaid-1?token=tok-done").body();
        assertThat(done).contains("Token <code>tok-done</code>").contains("entered: credit added")
                .contains("<td>accepted</td>").contains("<td>meter-result</td><td>token accepted by the meter</td>")
                .contains("<td>balance</td><td></td><td>37.10 EUR</td>");
        assertThat(browser.get("/meters/prepaid-1?token=tok-other").body())
                .contains("Token &#39;tok-other&#39; is for meter &#39;other-meter&#39;, not this one.");
        assertThat(browser.get("/meters/prepaid-1?token=nope").body()).contains("No token &#39;nope&#39;");

        HttpResponse<String> unknown = browser.get("/meters/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("No meter &#39;nope&#39; is configured");
        String csrf = Browser.hidden(html, "csrf");
        assertThat(browser.post("/meters/prepaid-1", Map.of("csrf", csrf)).statusCode()).isEqualTo(405);
    }

    @Test
    void aMeterWithoutCreditOrTokensShowsNoPrepaidPart() throws Exception {
        console = new PinnedConsole(temp, List.of(new MeterSection(clock, () -> metering, () -> ledger, store::meterState, live)));
        Browser browser = console.loggedIn();
        assertThat(browser.get("/meters/prepaid-1").body()).contains("None yet").contains("No values yet")
                .doesNotContain("Credit balance").doesNotContain("<svg").doesNotContain("Last full day");
    }

    @Test
    void theHistoryShowsTheNewestTokensOfThisMeterAndForgetsPrunedOnes() throws Exception {
        console = new PinnedConsole(temp, List.of(new MeterSection(clock, () -> metering, () -> ledger, store::meterState, live)));
        int count = MeterSection.HISTORY + 5;
        for (int i = 1; i <= count; i++) {
            String id = String.format("tok-%02d", i);
            Instant at = START.plusSeconds(i);
            LedgerEntry token = token(id, 100 * i, at);
            if (i == count) { // the newest is valid for an hour only
                token = new LedgerEntry(0, id, "prepaid-1", "credit", 100 * i, "EUR", token.meterPayload(), at,
                        at.plus(Duration.ofHours(1)), TokenState.QUEUED, null);
            }
            ledger.record(token, receipt(id, ReceiptStage.ACCEPTED, null, at));
            ledger.update(id, TokenState.DONE, "credit added", List.of(
                    receipt(id, ReceiptStage.METER_RESULT, "token accepted by the meter", at.plusSeconds(60))));
            LedgerEntry elsewhere = new LedgerEntry(0, "other-" + i, "other-meter", "credit", 500, "EUR",
                    "x".getBytes(StandardCharsets.US_ASCII), at, at.plus(Duration.ofDays(7)), TokenState.QUEUED, null);
            ledger.record(elsewhere, new Receipt("other-" + i, "other-meter", ReceiptStage.ACCEPTED, null, null, null,
                    at));
        }
        Browser browser = console.loggedIn();

        String history = between(browser.get("/meters/prepaid-1").body(), "<h3>Recent tokens</h3>",
                "<h3>Waiting for this meter</h3>");
        List<String> expected = new ArrayList<>();
        for (int i = count; i > count - MeterSection.HISTORY; i--) {
            expected.add(String.format("tok-%02d", i));
        }
        assertThat(historyIds(history)).containsExactlyElementsOf(expected);
        assertThat(history).contains("<td>entered: credit added</td>"
                + "<td>meter-result: token accepted by the meter (2 receipts)</td>")
                .contains("The newest " + MeterSection.HISTORY + " tokens").doesNotContain("other-");

        // the newest token expired and is pruned: the next older one moves up into the table
        assertThat(ledger.prune(START.plus(Duration.ofDays(1)))).isEqualTo(1);
        String afterPrune = between(browser.get("/meters/prepaid-1").body(), "<h3>Recent tokens</h3>",
                "<h3>Waiting for this meter</h3>");
        expected.remove(0);
        expected.add(String.format("tok-%02d", count - MeterSection.HISTORY));
        assertThat(historyIds(afterPrune)).containsExactlyElementsOf(expected);
    }

    /** The part of the page between two headings. */
    private static String between(String html, String from, String to) {
        int start = html.indexOf(from);
        int end = html.indexOf(to, Math.max(start, 0));
        assertThat(start).as("heading " + from).isNotNegative();
        assertThat(end).as("heading " + to).isGreaterThan(start);
        return html.substring(start, end);
    }

    /** The token ids of the history table, top to bottom. */
    private static List<String> historyIds(String history) {
        Matcher m = Pattern.compile("<tr><td><a href=\"[^\"]*\"><code>([^<]*)</code></a>").matcher(history);
        List<String> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static List<String> polyline(String html, String obis) {
        Matcher m = Pattern.compile("<figcaption>" + Pattern.quote(obis)
                + ":.*?<polyline [^>]*points=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("plot of " + obis).isTrue();
        List<String> points = new ArrayList<>(List.of(m.group(1).split(" ")));
        return points;
    }

    private static LedgerEntry token(String id, long cents, Instant at) {
        return new LedgerEntry(0, id, "prepaid-1", "credit", cents, "EUR", "payload".getBytes(StandardCharsets.US_ASCII),
                at, at.plus(Duration.ofDays(7)), TokenState.QUEUED, null);
    }

    private static Receipt receipt(String id, ReceiptStage stage, String detail, Instant at) {
        return new Receipt(id, "prepaid-1", stage, detail, null, null, at);
    }
}
