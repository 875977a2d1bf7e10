// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.metergate.headendsim.Observation;

import com.google.gson.JsonParser;

/** Low-balance notices and auto-recharge: once per crossing, re-armed above the level, never in a loop. */
class BalanceWatcherTest {

    private Instant now = Instant.parse("2026-12-04T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final CreditTokenIssuer issuer = new CreditTokenIssuer(TokenSigningKey.generate(), clock,
            Duration.ofHours(1));
    private final CustomerRule alice = new CustomerRule("alice", "gw1", "d1", "10000001", "EUR",
            List.of(200L, 500L), 300L, 2_000L, "auto-recharge");
    private final BalanceWatcher watcher = new BalanceWatcher(List.of(alice), issuer, clock,
            BalanceWatcher.DEFAULT_BALANCE_OBIS);

    private static Observation obs(String gateway, String topic, String json) {
        return new Observation(gateway, topic, JsonParser.parseString(json).getAsJsonObject(), json, false,
                Instant.parse("2026-12-04T12:00:00Z"));
    }

    /** A reading of the credit register as the gateway sends it: value x 10^scaler EUR. */
    private List<BalanceWatcher.Action> reading(String meter, long value, int scaler) {
        return watcher.observe(obs("gw1", "readings", "{\"readings\":[{\"meter\":\"" + meter + "\",\"obis\":"
                + "\"0-0:19.0.0*255\",\"value\":" + value + ",\"scaler\":" + scaler + ",\"unit\":\"EUR\","
                + "\"ts\":\"2026-12-04T12:00:00Z\",\"status\":\"ok\"}]}"));
    }

    private List<BalanceWatcher.Action> receipt(String token, String stage, Long balance) {
        return watcher.observe(obs("gw1", "credit/receipts", "{\"token\":\"" + token + "\",\"meter\":\"d1\","
                + "\"stage\":\"" + stage + "\",\"balance\":" + balance + ",\"currency\":\"EUR\"}"));
    }

    private static IssuedToken topUp(List<BalanceWatcher.Action> actions) {
        return actions.stream().filter(BalanceWatcher.AutoRecharge.class::isInstance)
                .map(a -> ((BalanceWatcher.AutoRecharge) a).token()).findFirst().orElseThrow();
    }

    private static List<String> kinds(List<BalanceWatcher.Action> actions) {
        return actions.stream().map(a -> a instanceof BalanceWatcher.AutoRecharge ? "recharge"
                : "notify " + ((BalanceWatcher.LowBalance) a).levelMinor()).toList();
    }

    @Test
    void fallingPastEachLevelNotifiesOnceAndUnderTheRechargeLevelIssuesOneTopUp() {
        assertThat(reading("d1", 800, -2)).isEmpty();            // 8.00
        assertThat(kinds(reading("d1", 450, -2))).containsExactly("notify 500");
        assertThat(reading("d1", 420, -2)).isEmpty();            // still under 5.00: no second notice
        List<BalanceWatcher.Action> under = reading("d1", 290, -2);
        assertThat(kinds(under)).containsExactly("recharge");
        BalanceWatcher.AutoRecharge recharge = (BalanceWatcher.AutoRecharge) under.get(0);
        assertThat(recharge.gateway()).isEqualTo("gw1");
        assertThat(recharge.token().meter()).isEqualTo("10000001");
        assertThat(recharge.token().amountMinor()).isEqualTo(2_000);
        assertThat(recharge.token().channel()).isEqualTo("auto-recharge");
        assertThat(recharge.describe()).contains("alice", "2.90 EUR is below 3.00 EUR", "credit 20.00 EUR");
        assertThat(kinds(reading("d1", 190, -2))).containsExactly("notify 200");
        assertThat(reading("d1", 100, -2)).isEmpty();            // nothing more while the top-up is on its way
    }

    @Test
    void aTopUpThatBringsTheBalanceBackReArmsForTheNextCrossingOnly() {
        IssuedToken first = topUp(reading("d1", 290, -2));
        assertThat(receipt(first.id(), "accepted", null)).isEmpty();
        assertThat(receipt(first.id(), "balance", 2_290L)).isEmpty();
        // late readings taken before the top-up reached the meter: not a new crossing
        assertThat(reading("d1", 289, -2)).isEmpty();
        assertThat(reading("d1", 288, -2)).isEmpty();
        assertThat(reading("d1", 2_280, -2)).isEmpty();
        assertThat(kinds(reading("d1", 480, -2))).containsExactly("notify 500");
        assertThat(kinds(reading("d1", 299, -2))).containsExactly("recharge");
    }

    @Test
    void aTopUpThatIsNotEnoughDoesNotStartAnother() {
        CustomerRule small = new CustomerRule("bob", null, "d1", null, "EUR", List.of(), 300L, 100L, "auto");
        BalanceWatcher w = new BalanceWatcher(List.of(small), issuer, clock, BalanceWatcher.DEFAULT_BALANCE_OBIS);
        List<BalanceWatcher.Action> first = w.observe(obs("gw7", "readings", "{\"readings\":[{\"meter\":\"d1\","
                + "\"obis\":\"0-0:19.0.0*255\",\"value\":50,\"scaler\":-2,\"unit\":\"EUR\",\"status\":\"ok\"}]}"));
        assertThat(first).singleElement().isInstanceOf(BalanceWatcher.AutoRecharge.class);
        IssuedToken t = ((BalanceWatcher.AutoRecharge) first.get(0)).token();
        assertThat(t.meter()).isEqualTo("d1"); // no tokenMeter: the meter id
        for (int round = 0; round < 5; round++) {
            // 0.50 + 1.00 = 1.50, still under 3.00: the balance never rises above the level, nothing re-arms
            assertThat(w.observe(obs("gw7", "credit/receipts", "{\"token\":\"" + t.id() + "\",\"meter\":\"d1\","
                    + "\"stage\":\"balance\",\"balance\":150,\"currency\":\"EUR\"}"))).isEmpty();
            assertThat(w.observe(obs("gw7", "readings", "{\"readings\":[{\"meter\":\"d1\",\"obis\":"
                    + "\"0-0:19.0.0*255\",\"value\":" + (150 - round) + ",\"scaler\":-2,\"unit\":\"EUR\"}]}")))
                    .isEmpty();
        }
    }

    @Test
    void aFailedTopUpBlocksNothingButIsNotRepeatedUntilTheNextCrossing() {
        IssuedToken t = topUp(reading("d1", 290, -2));
        assertThat(receipt(t.id(), "rejected", null)).isEmpty();
        assertThat(reading("d1", 280, -2)).isEmpty();
        assertThat(receipt("manual-1", "balance", 2_280L)).isEmpty(); // the customer paid by hand
        assertThat(kinds(reading("d1", 2_270, -2))).isEmpty();
        assertThat(kinds(reading("d1", 250, -2))).containsExactly("notify 500", "recharge");
    }

    @Test
    void aPendingTopUpThatNeverGetsAReceiptStopsBlockingOnceExpired() {
        IssuedToken t = topUp(reading("d1", 290, -2));
        receipt("manual", "balance", 5_000L);                     // re-armed by another payment
        assertThat(reading("d1", 4_000, -2)).isEmpty();
        assertThat(reading("d1", 280, -2)).extracting(a -> a.getClass().getSimpleName())
                .containsExactly("LowBalance");                    // crossing, but the first top-up is still pending
        now = t.expiresAt().plusSeconds(1);
        assertThat(reading("d1", 5_000, -2)).isEmpty();
        assertThat(kinds(reading("d1", 270, -2))).contains("recharge");
    }

    @Test
    void onlyTheCustomersMeterOnItsGatewayAndTheCreditRegisterCount() {
        assertThat(reading("d2", 100, -2)).isEmpty();
        assertThat(watcher.observe(obs("gw2", "readings", "{\"readings\":[{\"meter\":\"d1\",\"obis\":"
                + "\"0-0:19.0.0*255\",\"value\":100,\"scaler\":-2,\"unit\":\"EUR\",\"status\":\"ok\"}]}"))).isEmpty();
        assertThat(watcher.observe(obs("gw1", "readings", "{\"readings\":[{\"meter\":\"d1\",\"obis\":"
                + "\"1-0:1.8.0*255\",\"value\":100,\"scaler\":-2,\"unit\":\"kWh\",\"status\":\"ok\"}]}"))).isEmpty();
        assertThat(watcher.observe(obs("gw1", "readings", "{\"readings\":[{\"meter\":\"d1\",\"obis\":"
                + "\"0-0:19.0.0*255\",\"value\":100,\"scaler\":-2,\"unit\":\"EUR\",\"status\":"
                + "\"meter-flagged\"}]}")))
                .isEmpty();
        // a meter whose clock runs off still reports its credit correctly
        assertThat(watcher.observe(obs("gw1", "readings", "{\"readings\":[{\"meter\":\"d1\",\"obis\":"
                + "\"0-0:19.0.0*255\",\"value\":100,\"scaler\":-2,\"unit\":\"EUR\",\"status\":"
                + "\"clock-uncertain\"}]}"))).hasSize(2);
        assertThat(watcher.observe(obs("gw1", "events", "{\"type\":\"low-credit\",\"meter\":\"d1\"}"))).isEmpty();
    }

    @Test
    void theFirstBalanceOfAMeterAlreadyUnderTheLevelActsOnce() {
        assertThat(kinds(receipt("t0", "balance", 150L))).containsExactly("notify 200", "recharge");
        assertThat(receipt("t0", "balance", 150L)).isEmpty();
    }

    @Test
    void theCreditRegisterIsScaledToMinorUnits() {
        assertThat(reading("d1", 8, 0)).isEmpty();                // 8 EUR = 800, above every level
        // 2.9 EUR (scaler -1) = 290: under 5.00 and 3.00
        assertThat(kinds(reading("d1", 29, -1))).containsExactly("notify 500", "recharge");
    }
}
