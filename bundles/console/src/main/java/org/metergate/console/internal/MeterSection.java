// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.metergate.api.ledger.LedgerEntry;
import org.metergate.api.ledger.LedgerException;
import org.metergate.api.ledger.TokenHistory;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.state.MeterStateStore;

/**
 * One meter's page, {@code GET /meters/<meterId>}: its state, last readout, the plots of the last hour, for a
 * prepaid meter its credit, relay and tokens (read from the token ledger, never changed here: the newest
 * {@value #HISTORY} as a table, those still waiting with their receipts), and with {@code ?token=<id>} one token's
 * receipts. The page reloads itself every {@value #REFRESH_SECONDS} s (HTTP
 * {@code Refresh}, no script) to follow the live values, every {@value #CATCH_UP_REFRESH_SECONDS} s while the meter's
 * load profile is caught up.
 */
final class MeterSection implements ConsoleSection {

    static final String PREFIX = "/meters/";
    static final int REFRESH_SECONDS = 10;
    /** While the meter's load profile is caught up, so the technician sees the captures count rise. */
    static final int CATCH_UP_REFRESH_SECONDS = 2;
    /** Tokens in the page's history table; older ones are found by id. */
    static final int HISTORY = 20;

    private final Clock clock;
    private final Supplier<MeteringService> metering;
    private final Supplier<TokenLedger> ledger;
    private final Supplier<MeterStateStore> stored;
    private final LiveValues live;

    /** Each supplier returns null while that service is not running. */
    MeterSection(Clock clock, Supplier<MeteringService> metering, Supplier<TokenLedger> ledger,
            Supplier<MeterStateStore> stored, LiveValues live) {
        this.clock = clock;
        this.metering = metering;
        this.ledger = ledger;
        this.stored = stored;
        this.live = live;
    }

    @Override
    public boolean handles(String path) {
        return path.startsWith(PREFIX) && path.length() > PREFIX.length();
    }

    @Override
    public void get(String path, String csrfToken, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String meterId = path.substring(PREFIX.length());
        MeteringService service = metering.get();
        if (service == null) {
            ConsoleServlet.page(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, Pages.message("Meter "
                    + meterId, "Metering is not running: no meter is read. Check conf/org.metergate.metering.cfg "
                            + "and the log."));
            return;
        }
        Optional<MeterStatus> meter = service.meter(meterId);
        if (meter.isEmpty()) {
            ConsoleServlet.page(response, HttpServletResponse.SC_NOT_FOUND, Pages.message("Not found",
                    "No meter '" + meterId + "' is configured; the Meters page lists those that are."));
            return;
        }
        Instant now = clock.instant();
        service.lastReadout(meterId).ifPresent(readout -> live.record(readout, now));
        MeterPages.Tokens tokens = tokens(meterId, request.getParameter("token"));
        response.setHeader("Refresh", Integer.toString(refreshSeconds(meter.get())));
        ConsoleServlet.page(response, HttpServletResponse.SC_OK, MeterPages.meter(meter.get(),
                service.lastReadout(meterId).orElse(null), storedState(meterId), live.series(meterId, now), tokens,
                now, csrfToken));
    }

    /** Faster while a load-profile catch-up runs, so its progress is followed. */
    static int refreshSeconds(MeterStatus meter) {
        return meter.catchUp() != null ? CATCH_UP_REFRESH_SECONDS : REFRESH_SECONDS;
    }

    @Override
    public void post(String path, String csrfToken, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setHeader("Allow", "GET");
        ConsoleServlet.page(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                Pages.message("Not allowed", "The meter page only shows; it changes nothing."));
    }

    /** What metering keeps about the meter next to the outbox (daily consumption, clock drift); empty if unknown. */
    private Map<String, String> storedState(String meterId) {
        MeterStateStore store = stored.get();
        if (store == null) {
            return Map.of();
        }
        try {
            return store.state(meterId);
        } catch (OutboxException e) {
            return Map.of(); // the overview reports the store's problems
        }
    }

    private MeterPages.Tokens tokens(String meterId, String asked) {
        TokenLedger tokenLedger = ledger.get();
        if (tokenLedger == null) {
            return MeterPages.Tokens.unavailable("The token ledger is not running (store or prepay bundle); the "
                    + "log says why.");
        }
        try {
            List<TokenHistory> recent = tokenLedger.recent(meterId, HISTORY);
            List<TokenHistory> open = tokenLedger.open().stream().filter(e -> e.meterId().equals(meterId))
                    .map(e -> new TokenHistory(e, tokenLedger.receipts(e.tokenId()))).toList();
            if (asked == null || asked.isBlank()) {
                return new MeterPages.Tokens(recent, open, null, "", null);
            }
            String tokenId = asked.strip();
            Optional<LedgerEntry> found = tokenLedger.find(tokenId);
            if (found.isEmpty()) {
                return new MeterPages.Tokens(recent, open, null, tokenId, "No token '" + tokenId + "' is in the "
                        + "ledger (never received, rejected before it was recorded, or pruned after it expired).");
            }
            if (!found.get().meterId().equals(meterId)) {
                return new MeterPages.Tokens(recent, open, null, tokenId, "Token '" + tokenId + "' is for meter '"
                        + found.get().meterId() + "', not this one.");
            }
            return new MeterPages.Tokens(recent, open, new TokenHistory(found.get(), tokenLedger.receipts(tokenId)),
                    tokenId, null);
        } catch (LedgerException e) {
            return MeterPages.Tokens.unavailable("The token ledger cannot be read: " + e.getMessage());
        }
    }
}
