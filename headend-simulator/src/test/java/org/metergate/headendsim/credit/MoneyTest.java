// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void amountsInMinorUnitsOfTheCurrency() {
        assertThat(Money.toMinor("20.00", "EUR")).isEqualTo(2_000);
        assertThat(Money.toMinor("20", "EUR")).isEqualTo(2_000);
        assertThat(Money.toMinor("0.5", "EUR")).isEqualTo(50);
        assertThat(Money.toMinor("500", "JPY")).isEqualTo(500);
        assertThat(Money.toMinor("1.250", "KWD")).isEqualTo(1_250);
        assertThat(Money.format(4_500, "EUR")).isEqualTo("45.00");
        assertThat(Money.format(7, "EUR")).isEqualTo("0.07");
        assertThat(Money.format(1_250, "KWD")).isEqualTo("1.250");
        assertThat(Money.toMinorAllowingZero("0.00", "EUR")).isZero();
    }

    @Test
    void whatCannotBeATopUpIsRefused() {
        assertThatThrownBy(() -> Money.toMinor("0.00", "EUR")).hasMessageContaining("more than zero");
        assertThatThrownBy(() -> Money.toMinor("-5", "EUR")).hasMessageContaining("plain positive number");
        assertThatThrownBy(() -> Money.toMinor("1e3", "EUR")).hasMessageContaining("plain positive number");
        assertThatThrownBy(() -> Money.toMinor("20.001", "EUR")).hasMessageContaining("more than 2 decimals");
        assertThatThrownBy(() -> Money.toMinor("1.5", "JPY")).hasMessageContaining("more than 0 decimals");
        assertThatThrownBy(() -> Money.toMinor("30000000", "EUR")).hasMessageContaining("more than a meter can hold");
        assertThatThrownBy(() -> Money.toMinor("1", "XYZ")).hasMessageContaining("not an ISO 4217 code");
        assertThatThrownBy(() -> Money.toMinor("1", "eur")).hasMessageContaining("3-letter ISO 4217");
    }
}
