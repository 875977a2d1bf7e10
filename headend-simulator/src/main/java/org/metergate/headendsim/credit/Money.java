// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.regex.Pattern;

/**
 * Amounts as people type them ({@code 20.00}) and as tokens and receipts carry them (minor units, {@code 2000}),
 * with the currency's own number of decimals (ISO 4217: EUR 2, JPY 0, KWD 3).
 */
public final class Money {

    /** The meter's credit is a 32-bit number of minor units. */
    public static final long MAX_MINOR = Integer.MAX_VALUE;
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,12}(\\.[0-9]{1,6})?");
    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

    private Money() {
    }

    /** Decimals of {@code currency}; a clear error if it is not an ISO 4217 code. */
    public static int fractionDigits(String currency) {
        if (currency == null || !CODE.matcher(currency).matches()) {
            throw new IllegalArgumentException("currency '" + currency
                    + "' is not a 3-letter ISO 4217 code such as EUR");
        }
        try {
            int digits = Currency.getInstance(currency).getDefaultFractionDigits();
            return Math.max(digits, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("currency '" + currency + "' is not an ISO 4217 code", e);
        }
    }

    /**
     * {@code "20.00"} in EUR is 2000. Refuses what a top-up cannot be: zero, negative, more decimals than the
     * currency has, more than {@link #MAX_MINOR} minor units.
     */
    public static long toMinor(String amount, String currency) {
        long minor = toMinorAllowingZero(amount, currency);
        if (minor == 0) {
            throw new IllegalArgumentException("amount " + amount + " must be more than zero");
        }
        return minor;
    }

    /** As {@link #toMinor} but 0 is allowed (a threshold of 0.00). */
    public static long toMinorAllowingZero(String amount, String currency) {
        int digits = fractionDigits(currency);
        String text = amount == null ? "" : amount.strip();
        if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException("amount '" + amount + "' is not a plain positive number such as 20.00");
        }
        BigDecimal value = new BigDecimal(text);
        if (value.stripTrailingZeros().scale() > digits) {
            throw new IllegalArgumentException("amount " + text + " has more than " + digits + " decimals, the most "
                    + currency + " has");
        }
        BigDecimal minor = value.movePointRight(digits);
        if (minor.compareTo(BigDecimal.valueOf(MAX_MINOR)) > 0) {
            throw new IllegalArgumentException("amount " + text + " " + currency + " is more than a meter can hold ("
                    + format(MAX_MINOR, currency) + ")");
        }
        return minor.longValueExact();
    }

    /** 2000 in EUR is {@code "20.00"}. */
    public static String format(long minor, String currency) {
        return BigDecimal.valueOf(minor, fractionDigits(currency)).toPlainString();
    }
}
