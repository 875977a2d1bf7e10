// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import java.util.Optional;
import java.util.Set;

import org.metergate.headendsim.Observation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * One {@code receipt/v1} from {@code mg/v1/<gateway>/credit/receipts}: a stage of a token at the gateway.
 *
 * @param token        the token's {@code jti}
 * @param meter        the gateway's meter id (the token may have named the meter by serial)
 * @param stage        {@code accepted}, {@code rejected}, {@code duplicate}, {@code queued}, {@code entered},
 *                     {@code meter-result}, {@code balance}, {@code ready-for-reconnection}, {@code expired}, or a
 *                     stage added later (shown as it comes)
 * @param balanceMinor available credit after the token (stage {@code balance}), else null
 */
public record TokenReceipt(String gateway, String token, String meter, String stage, String detail, Long balanceMinor,
        String currency, String ts) {

    /** Stages after which nothing more happens to the token (except a possible ready-for-reconnection). */
    public static final Set<String> FINAL_STAGES = Set.of("balance", "rejected", "duplicate", "expired");

    /** The receipt in {@code o}, if it is one. */
    public static Optional<TokenReceipt> from(Observation o) {
        if (!"credit/receipts".equals(o.topic()) || o.payload() == null) {
            return Optional.empty();
        }
        JsonObject p = o.payload();
        String stage = text(p, "stage");
        if (stage == null) {
            return Optional.empty();
        }
        Long balance = null;
        JsonElement b = p.get("balance");
        if (b != null && b.isJsonPrimitive() && b.getAsJsonPrimitive().isNumber()) {
            balance = b.getAsLong();
        }
        return Optional.of(new TokenReceipt(o.gateway(), text(p, "token"), text(p, "meter"), stage, text(p, "detail"),
                balance, text(p, "currency"), text(p, "ts")));
    }

    public boolean isFinal() {
        return FINAL_STAGES.contains(stage);
    }

    /** {@code balance: 45.00 EUR}, {@code rejected: expired: ...}, {@code meter-result: 3 execution-ok}. */
    public String describe() {
        StringBuilder b = new StringBuilder(stage);
        if (balanceMinor != null) {
            b.append(": ").append(money(balanceMinor, currency));
        }
        if (detail != null && !detail.isBlank()) {
            b.append(balanceMinor == null ? ": " : " (").append(detail).append(balanceMinor == null ? "" : ")");
        }
        return b.toString();
    }

    /** Minor units as money when the currency is known, else the bare number with its currency. */
    static String money(long minor, String currency) {
        try {
            return Money.format(minor, currency) + " " + currency;
        } catch (IllegalArgumentException unknownCurrency) {
            return minor + (currency == null ? " (minor units)" : " " + currency + " (minor units)");
        }
    }

    private static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
    }
}
