// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.metergate.headendsim.Observation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Applies the customer rules to what the gateways report: a meter's balance comes from {@code balance}
 * receipts and from readings of the credit register ({@code 0-0:19.0.0*255} by default, IC 111 available
 * credit). When it falls under a customer's notification level the customer gets a notice; when it falls under
 * the auto-recharge level a top-up token is issued, once per crossing (see {@link ThresholdCrossing}) and
 * never while the previous automatic top-up of that meter has no final receipt yet, so a top-up cannot start a
 * loop. Decides only: the caller prints the notices and sends the tokens. Thread-safe.
 */
public final class BalanceWatcher {

    /** The credit register the demo's DLMS meters report (IC 111 account, attribute available credit). */
    public static final String DEFAULT_BALANCE_OBIS = "0-0:19.0.0*255";

    /** Something to do because of a balance. */
    public sealed interface Action permits LowBalance, AutoRecharge {
        /** One line for people. */
        String describe();
    }

    /** The balance of a customer's meter fell under one of the customer's notification levels. */
    public record LowBalance(String customer, String gateway, String meter, long levelMinor, long balanceMinor,
            String currency) implements Action {
        @Override
        public String describe() {
            return "notify customer " + customer + ": meter " + meter + " balance " + TokenReceipt.money(balanceMinor,
                    currency) + " is below " + TokenReceipt.money(levelMinor, currency);
        }
    }

    /** The balance fell under the auto-recharge level: {@code token} is the top-up to send to {@code gateway}. */
    public record AutoRecharge(String customer, String gateway, String meter, long levelMinor, long balanceMinor,
            IssuedToken token) implements Action {
        @Override
        public String describe() {
            return "auto-recharge for customer " + customer + ": meter " + meter + " balance "
                    + TokenReceipt.money(balanceMinor, token.currency()) + " is below "
                    + TokenReceipt.money(levelMinor, token.currency()) + "; token " + token.id() + " "
                    + token.describe();
        }
    }

    private static final String FROM_RECEIPTS = "receipts";
    private static final String FROM_READINGS = "readings";

    private final List<Watch> watches = new ArrayList<>();
    private final CreditTokenIssuer issuer;
    private final Clock clock;
    private final String balanceObis;

    public BalanceWatcher(List<CustomerRule> rules, CreditTokenIssuer issuer, Clock clock, String balanceObis) {
        if (issuer == null && rules.stream().anyMatch(CustomerRule::autoRecharge)) {
            throw new IllegalArgumentException("auto-recharge rules need a token issuer (the head-end signing key)");
        }
        rules.forEach(r -> watches.add(new Watch(r)));
        this.issuer = issuer;
        this.clock = clock;
        this.balanceObis = balanceObis;
    }

    /** What {@code o} calls for; empty for anything that is not a balance of a watched meter. */
    public synchronized List<Action> observe(Observation o) {
        List<Action> actions = new ArrayList<>();
        if ("credit/receipts".equals(o.topic())) {
            TokenReceipt.from(o).ifPresent(r -> receipt(o.gateway(), r, actions));
        } else if ("readings".equals(o.topic())) {
            o.readings().forEach(r -> reading(o.gateway(), r, actions));
        }
        return actions;
    }

    /** An automatic top-up could not be sent: it no longer blocks the next one. */
    public synchronized void notSent(String tokenId) {
        for (Watch w : watches) {
            if (w.pending != null && w.pending.id().equals(tokenId)) {
                w.pending = null;
            }
        }
    }

    private void receipt(String gateway, TokenReceipt r, List<Action> actions) {
        for (Watch w : watches) {
            if (w.pending != null && w.pending.id().equals(r.token()) && r.isFinal()) {
                w.pending = null;
            }
        }
        if (!"balance".equals(r.stage()) || r.balanceMinor() == null || r.meter() == null) {
            return;
        }
        for (Watch w : watches) {
            if (w.rule.covers(gateway, r.meter()) && (r.currency() == null || r.currency().equals(w.rule.currency()))) {
                w.sample(gateway, FROM_RECEIPTS, r.balanceMinor(), actions);
            }
        }
    }

    private void reading(String gateway, JsonObject r, List<Action> actions) {
        JsonElement v = r.get("value");
        if (!balanceObis.equals(text(r, "obis")) || v == null || !v.isJsonPrimitive()
                || !v.getAsJsonPrimitive().isNumber()) {
            return;
        }
        String status = text(r, "status");
        if (status != null && !status.equals("ok") && !status.equals("clock-uncertain")) {
            return; // the meter flagged the value itself; a doubtful clock does not make the credit doubtful
        }
        for (Watch w : watches) {
            String unit = text(r, "unit");
            if (!w.rule.covers(gateway, text(r, "meter")) || (unit != null && !unit.isEmpty()
                    && !unit.equals(w.rule.currency()))) {
                continue;
            }
            JsonElement s = r.get("scaler");
            int scaler = s != null && s.isJsonPrimitive() ? s.getAsInt() : 0;
            BigDecimal minor = new BigDecimal(v.getAsString()).scaleByPowerOfTen(scaler)
                    .movePointRight(Money.fractionDigits(w.rule.currency()));
            try {
                w.sample(gateway, FROM_READINGS, minor.longValueExact(), actions);
            } catch (ArithmeticException notWholeMinorUnits) {
                // a register finer than the currency's minor unit: round down, the customer has no more than that
                w.sample(gateway, FROM_READINGS, minor.setScale(0, RoundingMode.FLOOR).longValue(), actions);
            }
        }
    }

    private static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }

    /** The rule of one customer's meter and what has been seen of it. */
    private final class Watch {
        final CustomerRule rule;
        final List<ThresholdCrossing> notify = new ArrayList<>();
        final ThresholdCrossing recharge;
        final Map<String, Long> lastBySource = new HashMap<>();
        IssuedToken pending;

        Watch(CustomerRule rule) {
            this.rule = rule;
            rule.notifyBelowMinor().forEach(level -> notify.add(new ThresholdCrossing(level)));
            this.recharge = rule.autoRecharge() ? new ThresholdCrossing(rule.rechargeBelowMinor()) : null;
        }

        void sample(String gateway, String source, long balance, List<Action> actions) {
            boolean first = lastBySource.isEmpty();
            Long previous = lastBySource.put(source, balance);
            ThresholdCrossing lowest = null;
            for (ThresholdCrossing c : notify) { // highest level first: the last one crossed is the lowest
                if (c.step(previous, balance, first)) {
                    lowest = c;
                }
            }
            if (lowest != null) {
                actions.add(new LowBalance(rule.customer(), gateway, rule.meter(), lowest.level(), balance,
                        rule.currency()));
            }
            if (recharge == null) {
                return;
            }
            if (pending != null && clock.instant().isAfter(pending.expiresAt())) {
                pending = null; // it can no longer be applied; its receipts were lost
            }
            if (recharge.step(previous, balance, first) && pending == null) {
                pending = issuer.credit(rule.tokenMeter(), rule.rechargeAmountMinor(), rule.currency(), rule.channel());
                actions.add(new AutoRecharge(rule.customer(), gateway, rule.meter(), rule.rechargeBelowMinor(), balance,
                        pending));
            }
        }
    }
}
