// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The unsigned test token format, accepted only by meters configured with {@code acceptTestTokens}:
 * ASCII {@code MGTEST:<tokenId>:<meterSerial>:<amountMinor>}, e.g. {@code MGTEST:t-0001:10000001:2000}
 * (20.00 in a currency with two decimals). Token ids are 1..64 characters of {@code [A-Za-z0-9_-]}.
 */
public final class TestTokenFormat implements TokenVerifier {

    /** Largest amount one test token may carry (minor units), to catch typos such as an extra zero run. */
    public static final long MAX_AMOUNT_MINOR = 100_000_00L;

    private static final Pattern FORMAT = Pattern.compile("MGTEST:([A-Za-z0-9_-]{1,64}):([0-9]{1,16}):([0-9]{1,12})");

    /** Builds a test token for {@code meterSerial}. */
    public static byte[] encode(String tokenId, String meterSerial, long amountMinor) {
        return ("MGTEST:" + tokenId + ":" + meterSerial + ":" + amountMinor).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public CreditToken verify(byte[] token, String meterSerial) throws TokenRejectedException {
        String text = new String(token, StandardCharsets.US_ASCII);
        Matcher matcher = FORMAT.matcher(text);
        if (!matcher.matches()) {
            throw new TokenRejectedException(TokenStatus.FORMAT_FAIL,
                    "not a test token: expected MGTEST:<tokenId>:<meterSerial>:<amountMinor>");
        }
        if (!matcher.group(2).equals(meterSerial)) {
            throw new TokenRejectedException(TokenStatus.VALIDATION_FAIL,
                    "token is for meter " + matcher.group(2) + ", this is meter " + meterSerial);
        }
        long amount = Long.parseLong(matcher.group(3));
        if (amount <= 0 || amount > MAX_AMOUNT_MINOR) {
            throw new TokenRejectedException(TokenStatus.VALIDATION_FAIL,
                    "token amount " + amount + " outside 1.." + MAX_AMOUNT_MINOR);
        }
        return new CreditToken(matcher.group(1), amount, "test credit " + amount);
    }
}
