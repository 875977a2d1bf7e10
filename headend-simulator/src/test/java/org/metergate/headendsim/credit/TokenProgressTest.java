// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.metergate.headendsim.Observation;

import com.google.gson.JsonParser;

/** Receipts as shown while a token progresses, and what they add up to. */
class TokenProgressTest {

    private static TokenReceipt receipt(String json) {
        return TokenReceipt.from(new Observation("gw1", "credit/receipts", JsonParser.parseString(json)
                .getAsJsonObject(), json, false, Instant.EPOCH)).orElseThrow();
    }

    private static TokenReceipt stage(String token, String stage, String detail, Long balance) {
        return receipt("{\"token\":\"" + token + "\",\"meter\":\"d1\",\"stage\":\"" + stage + "\",\"detail\":"
                + (detail == null ? "null" : "\"" + detail + "\"") + ",\"balance\":" + balance
                + ",\"currency\":\"EUR\"}");
    }

    @Test
    void aTopUpGoesFromAcceptedToItsBalance() {
        TokenProgress p = new TokenProgress("t1");
        assertThat(p.accept(stage("t1", "accepted", "credit 2000 EUR, queued for meter d1", null))).isTrue();
        assertThat(p.accept(stage("t2", "accepted", null, null))).isFalse();
        p.accept(stage("t1", "queued", "meter d1 is offline; retried", null));
        p.accept(stage("t1", "entered", "entered into the meter's token gateway", null));
        assertThat(p.outcome()).isEqualTo(TokenProgress.Outcome.IN_PROGRESS);
        p.accept(stage("t1", "meter-result", "3 execution-ok", null));
        p.accept(stage("t1", "balance", null, 4_500L));

        assertThat(p.outcome()).isEqualTo(TokenProgress.Outcome.CREDITED);
        assertThat(p.stages()).containsExactly("accepted", "queued", "entered", "meter-result", "balance");
        assertThat(p.balance()).get().extracting(TokenReceipt::balanceMinor).isEqualTo(4_500L);
        assertThat(p.receipts()).extracting(TokenReceipt::describe).containsExactly(
                "accepted: credit 2000 EUR, queued for meter d1", "queued: meter d1 is offline; retried",
                "entered: entered into the meter's token gateway", "meter-result: 3 execution-ok",
                "balance: 45.00 EUR");
    }

    @Test
    void theMetersRefusalRejectionsDuplicatesAndExpiryEndIt() {
        TokenProgress refused = new TokenProgress("t1");
        refused.accept(stage("t1", "meter-result", "6 validation-fail", null));
        refused.accept(stage("t1", "balance", null, 100L));
        assertThat(refused.outcome()).isEqualTo(TokenProgress.Outcome.METER_REFUSED);

        TokenProgress rejected = new TokenProgress("t2");
        rejected.accept(stage("t2", "rejected", "expired: expired at 2026-01-01T00:00:00Z", null));
        assertThat(rejected.outcome()).isEqualTo(TokenProgress.Outcome.REJECTED);
        assertThat(rejected.receipts().get(0).describe())
                .isEqualTo("rejected: expired: expired at 2026-01-01T00:00:00Z");

        TokenProgress duplicate = new TokenProgress("t3");
        duplicate.accept(stage("t3", "duplicate", "already received; original outcome: done", null));
        assertThat(duplicate.outcome()).isEqualTo(TokenProgress.Outcome.DUPLICATE);

        TokenProgress expired = new TokenProgress("t4");
        expired.accept(stage("t4", "expired", "meter d1 unreachable until the token expired", null));
        assertThat(expired.outcome()).isEqualTo(TokenProgress.Outcome.EXPIRED);
    }

    @Test
    void receiptsWithoutAKnownCurrencyOrWithAStageAddedLaterAreStillShown() {
        assertThat(receipt("{\"token\":\"t\",\"stage\":\"balance\",\"balance\":42}").describe())
                .isEqualTo("balance: 42 (minor units)");
        assertThat(receipt("{\"token\":\"t\",\"stage\":\"ready-for-reconnection\",\"detail\":\"press the button\"}")
                .describe()).isEqualTo("ready-for-reconnection: press the button");
        assertThat(receipt("{\"token\":\"t\",\"stage\":\"entering\"}").describe()).isEqualTo("entering");
        assertThat(TokenReceipt.from(new Observation("gw1", "readings", JsonParser.parseString("{}")
                .getAsJsonObject(), "{}", false, Instant.EPOCH))).isEmpty();
    }
}
