// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces behind the meters: friendly periods, state file, date-times, counters, test tokens, model. */
class DlmsBuildingBlocksTest {
    @TempDir
    Path dir;

    @Test
    void friendly_window_wraps_midnight_and_days_count_whole() {
        FriendlyCreditPolicy policy = FriendlyCreditPolicy.parse("18:00-08:00", "sat,Sun");
        assertThat(policy.isFriendly(Instant.parse("2026-03-02T07:59:00Z"), ZoneOffset.UTC)).isTrue();
        assertThat(policy.isFriendly(Instant.parse("2026-03-02T08:00:00Z"), ZoneOffset.UTC)).isFalse();
        assertThat(policy.isFriendly(Instant.parse("2026-03-02T18:00:00Z"), ZoneOffset.UTC)).isTrue();
        assertThat(policy.isFriendly(Instant.parse("2026-03-07T12:00:00Z"), ZoneOffset.UTC)).isTrue();
        assertThat(policy.isFriendly(Instant.parse("2026-03-02T12:00:00Z"), ZoneOffset.ofHours(7))).isTrue();
        assertThat(FriendlyCreditPolicy.none().isFriendly(Instant.parse("2026-03-07T23:00:00Z"), ZoneOffset.UTC))
                .isFalse();
        assertThatThrownBy(() -> FriendlyCreditPolicy.parse("18-8", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("18:00-08:00");
        assertThatThrownBy(() -> FriendlyCreditPolicy.parse("", "xyz")).hasMessageContaining("MON..SUN");
    }

    @Test
    void state_file_round_trips_and_a_damaged_one_is_named() throws IOException {
        MeterState state = new MeterState();
        state.creditMilli = -1234;
        state.usedTokenIds.add("a");
        state.usedTokenIds.add("b");
        state.disconnections.add(new long[] { 5, Long.MAX_VALUE });
        state.addEvent(100, 61);
        state.lastToken = new byte[] { 1, 2, 3 };
        Path file = dir.resolve("m.state");
        state.save(file);
        MeterState loaded = MeterState.load(file);
        assertThat(loaded.creditMilli).isEqualTo(-1234);
        assertThat(loaded.usedTokenIds).containsExactly("a", "b");
        assertThat(loaded.disconnections.get(0)).containsExactly(5, Long.MAX_VALUE);
        assertThat(loaded.events.get(0)).containsExactly(100, 61);
        assertThat(loaded.lastToken).containsExactly(1, 2, 3);
        assertThat(Files.list(dir)).containsExactly(file); // no temporary file left behind

        Files.writeString(file, Files.readString(file).replace("creditMilli=-1234", "creditMilli=lots"));
        assertThatThrownBy(() -> MeterState.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("move the file away");
    }

    @Test
    void date_time_carries_the_blue_book_deviation() {
        Instant instant = Instant.parse("2026-03-02T10:07:30Z");
        byte[] encoded = CosemDateTimes.encode(instant, ZoneOffset.ofHours(1));
        assertThat(encoded[5]).isEqualTo((byte) 11); // local hour
        assertThat((short) (((encoded[9] & 0xFF) << 8) | (encoded[10] & 0xFF))).isEqualTo((short) -60);
        assertThat(CosemDateTimes.decode(encoded, ZoneOffset.UTC)).isEqualTo(instant);
        assertThatThrownBy(() -> CosemDateTimes.decode(new byte[5], ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invocation_counter_is_read_from_ciphered_requests_only() {
        byte[] gloGet = { (byte) 0xC8, 0x10, 0x30, 0x00, 0x00, 0x01, 0x2C, 1, 2, 3 };
        assertThat(ApduInspector.invocationCounter(gloGet)).isEqualTo(300);
        byte[] plainGet = { (byte) 0xC0, 0x01, (byte) 0xC1, 0x00, 0x03 };
        assertThat(ApduInspector.invocationCounter(plainGet)).isEqualTo(ApduInspector.NOT_CIPHERED);
        byte[] general = { (byte) 0xDB, 0x02, 'M', 'G', 0x08, 0x30, 0x00, 0x00, 0x00, 0x07, 9, 9 };
        assertThat(ApduInspector.invocationCounter(general)).isEqualTo(7);
        assertThat(ApduInspector.invocationCounter(new byte[] { (byte) 0xC8 })).isEqualTo(ApduInspector.NOT_CIPHERED);
    }

    @Test
    void test_tokens_are_checked_for_format_meter_and_amount() throws Exception {
        TestTokenFormat format = new TestTokenFormat();
        CreditToken token = format.verify(TestTokenFormat.encode("t-1", "10000001", 2000), "10000001");
        assertThat(token.tokenId()).isEqualTo("t-1");
        assertThat(token.amountMinor()).isEqualTo(2000);
        assertThatThrownBy(() -> format.verify("MGTEST:t-1:10000001:0".getBytes(StandardCharsets.US_ASCII),
                "10000001")).isInstanceOfSatisfying(TokenRejectedException.class,
                        e -> assertThat(e.status()).isEqualTo(TokenStatus.VALIDATION_FAIL));
        assertThatThrownBy(() -> format.verify("MGTEST:t 1:10000001:5".getBytes(StandardCharsets.US_ASCII),
                "10000001")).isInstanceOfSatisfying(TokenRejectedException.class,
                        e -> assertThat(e.status()).isEqualTo(TokenStatus.FORMAT_FAIL));
        assertThatThrownBy(() -> TokenVerifier.rejectAll().verify(new byte[1], "1"))
                .isInstanceOfSatisfying(TokenRejectedException.class,
                        e -> assertThat(e.status()).isEqualTo(TokenStatus.AUTHENTICATION_FAIL));
    }

    @Test
    void a_long_running_meter_keeps_registers_and_profile_consistent() throws IOException {
        SimClock clock = SimClock.frozenAt(Instant.parse("2026-03-02T12:00:00Z"));
        MeterFirmware firmware = MeterFirmware.open(DlmsMeterConfig.builder("10000001").historyDays(2)
                .initialCreditMinor(1_000_000_000).build(), clock, null);
        long early = firmware.captureAt(SlotConsumptionModel.slotOf(Instant.parse("2026-03-02T06:00:00Z")))[1];
        for (int day = 0; day < 30; day++) {
            clock.advance(Duration.ofDays(1));
            long[] window = firmware.profileWindow();
            assertThat(window[1]).isEqualTo(2 * 96);
            long last = window[0] + window[1] - 1;
            long importAtLast = firmware.registersAt(SlotConsumptionModel.slotStart(last))[0];
            assertThat(firmware.captureAt(last)[1]).isEqualTo(importAtLast);
            assertThat(firmware.captureAt(last)[1]).isGreaterThan(firmware.captureAt(window[0])[1]);
        }
        // an entry long gone from the cache is rebuilt from the origin, with the same value
        assertThat(firmware.captureAt(SlotConsumptionModel.slotOf(Instant.parse("2026-03-02T06:00:00Z")))[1])
                .isEqualTo(early);
    }

    @Test
    void consumption_model_is_deterministic_with_a_daily_shape() {
        SlotConsumptionModel a = new SlotConsumptionModel(42, 400, 0, ZoneOffset.UTC);
        SlotConsumptionModel b = new SlotConsumptionModel(42, 400, 0, ZoneOffset.UTC);
        long night = SlotConsumptionModel.slotOf(Instant.parse("2026-03-03T03:00:00Z"));
        long evening = SlotConsumptionModel.slotOf(Instant.parse("2026-03-03T19:00:00Z"));
        long nightTotal = 0;
        long eveningTotal = 0;
        for (int i = 0; i < 4; i++) {
            assertThat(a.importWh(night + i)).isEqualTo(b.importWh(night + i));
            nightTotal += a.importWh(night + i);
            eveningTotal += a.importWh(evening + i);
        }
        assertThat(eveningTotal).isGreaterThan(2 * nightTotal);
        assertThat(a.isNightTariff(night)).isTrue();
        assertThat(a.isNightTariff(evening)).isFalse();
        assertThat(a.exportWh(evening)).isZero();
    }
}
