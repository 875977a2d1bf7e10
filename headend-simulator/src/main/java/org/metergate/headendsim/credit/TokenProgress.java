// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The receipts of one token, in arrival order, and what they add up to. Not thread-safe: feed it from one
 * thread or under a lock.
 */
public final class TokenProgress {

    /** Where a token stands. */
    public enum Outcome {
        /** no final receipt yet */
        IN_PROGRESS,
        /** the meter took it (status 3, execution OK) and reported its balance */
        CREDITED,
        /** entered, but the meter refused it (its status is in the meter-result receipt) */
        METER_REFUSED,
        /** the gateway refused it; the receipt's detail says why */
        REJECTED,
        /** the gateway had it already; the receipt repeats the original outcome */
        DUPLICATE,
        /** it could not reach the meter before it expired; nothing was applied */
        EXPIRED
    }

    private final String tokenId;
    private final List<TokenReceipt> receipts = new ArrayList<>();

    public TokenProgress(String tokenId) {
        this.tokenId = tokenId;
    }

    public String tokenId() {
        return tokenId;
    }

    /** Takes {@code r} if it is about this token; returns whether it was. */
    public boolean accept(TokenReceipt r) {
        if (!tokenId.equals(r.token())) {
            return false;
        }
        receipts.add(r);
        return true;
    }

    public List<TokenReceipt> receipts() {
        return List.copyOf(receipts);
    }

    /** Stage names in arrival order, e.g. {@code [accepted, entered, meter-result, balance]}. */
    public List<String> stages() {
        return receipts.stream().map(TokenReceipt::stage).toList();
    }

    public boolean isFinished() {
        return outcome() != Outcome.IN_PROGRESS;
    }

    public Outcome outcome() {
        for (TokenReceipt r : receipts) {
            switch (r.stage()) {
                case "rejected" -> {
                    return Outcome.REJECTED;
                }
                case "duplicate" -> {
                    return Outcome.DUPLICATE;
                }
                case "expired" -> {
                    return Outcome.EXPIRED;
                }
                case "balance" -> {
                    return meterAccepted() ? Outcome.CREDITED : Outcome.METER_REFUSED;
                }
                default -> {
                    // not final
                }
            }
        }
        return Outcome.IN_PROGRESS;
    }

    /** The balance the meter reported after the token, if it came. */
    public Optional<TokenReceipt> balance() {
        return receipts.stream().filter(r -> "balance".equals(r.stage()) && r.balanceMinor() != null).findFirst();
    }

    private boolean meterAccepted() {
        // the meter's token status: 3 = execution OK (IC 115); the receipt's detail starts with the number
        return receipts.stream().filter(r -> "meter-result".equals(r.stage())).reduce((a, b) -> b)
                .map(r -> r.detail() != null && r.detail().strip().matches("3(\\D.*)?")).orElse(false);
    }
}
