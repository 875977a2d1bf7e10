// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.credit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class CustomerRulesTest {

    @Test
    void severalLevelsAndAutoRechargePerCustomer() {
        List<CustomerRule> rules = CustomerRules.parse("""
                # two customers
                customer.alice.meter=d1
                customer.alice.gateway=demo-gateway
                customer.alice.tokenMeter=10000001
                customer.alice.notifyBelow=2.00, 5.00 ,0.50
                customer.alice.autoRechargeBelow=3.00
                customer.alice.autoRechargeAmount=20.00
                customer.bob.meter=d2
                customer.bob.notifyBelow=1
                """);

        assertThat(rules).hasSize(2);
        CustomerRule alice = rules.get(0);
        assertThat(alice.customer()).isEqualTo("alice");
        assertThat(alice.gateway()).isEqualTo("demo-gateway");
        assertThat(alice.tokenMeter()).isEqualTo("10000001");
        assertThat(alice.notifyBelowMinor()).containsExactly(500L, 200L, 50L);
        assertThat(alice.rechargeBelowMinor()).isEqualTo(300L);
        assertThat(alice.rechargeAmountMinor()).isEqualTo(2_000L);
        assertThat(alice.channel()).isEqualTo("auto-recharge");
        CustomerRule bob = rules.get(1);
        assertThat(bob.gateway()).isNull();
        assertThat(bob.tokenMeter()).isEqualTo("d2");
        assertThat(bob.currency()).isEqualTo("EUR");
        assertThat(bob.autoRecharge()).isFalse();
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> CustomerRules.parse("customer.a.meter=d1\ncustomer.a.autoRechargeBelow=3.00"))
                .hasMessageContaining("customer a").hasMessageContaining("autoRechargeAmount");
        assertThatThrownBy(() -> CustomerRules.parse("customer.a.notifyBelow=3.00"))
                .hasMessageContaining("customer.a.meter is missing");
        assertThatThrownBy(() -> CustomerRules.parse("customer.a.meter=d1\ncustomer.a.treshold=3"))
                .hasMessageContaining("unknown key 'customer.a.treshold'").hasMessageContaining("notifyBelow");
        assertThatThrownBy(() -> CustomerRules.parse("customer.a.meter=d1\ncustomer.a.notifyBelow=3,x"))
                .hasMessageContaining("customer a").hasMessageContaining("'x'");
        assertThatThrownBy(() -> CustomerRules.parse("customer.a.meter=d1\ncustomer.a.autoRechargeBelow=3\n"
                + "customer.a.autoRechargeAmount=0")).hasMessageContaining("more than zero");
        assertThatThrownBy(() -> CustomerRules.parse("customer.a.meter=d1\ncustomer.b.meter=d1"))
                .hasMessageContaining("meter d1 has more than one customer");
    }
}
