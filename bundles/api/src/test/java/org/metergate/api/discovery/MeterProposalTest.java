// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.metergate.api.link.LinkAddress;

class MeterProposalTest {

    private static final LinkAddress LINK = LinkAddress.parse("/dev/ttyUSB0");

    @Test
    void keepsTheSettingsInOrderAndRenames() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("meterId", "MGS123");
        settings.put("link", "/dev/ttyUSB0");
        settings.put("initialBaud", 300);
        MeterProposal proposal = new MeterProposal("IEC 62056-21", LINK, "MGS5MGSIM123", "mode C", "pid", settings);
        assertThat(proposal.settings().keySet()).containsExactly("meterId", "link", "initialBaud");
        MeterProposal renamed = proposal.withMeterId("MGS123-2");
        assertThat(renamed.meterId()).isEqualTo("MGS123-2");
        assertThat(proposal.meterId()).isEqualTo("MGS123");
    }

    @Test
    void refusesSettingsADriverCannotTake() {
        assertThatThrownBy(() -> new MeterProposal("p", LINK, "", "", "pid", Map.of("meterId", "a b", "link", "x")))
                .hasMessageContaining("meterId");
        assertThatThrownBy(() -> new MeterProposal("p", LINK, "", "", "pid", Map.of("meterId", "m1")))
                .hasMessageContaining("link");
        assertThatThrownBy(() -> new MeterProposal("p", LINK, "", "", "pid",
                Map.of("meterId", "m1", "link", "x", "registers", new String[0])))
                .hasMessageContaining("registers");
    }

    @Test
    void meterIdFromWhatTheMeterSays() {
        assertThat(MeterProposal.meterIdFrom("MGS MGSIM/55982395", "m")).isEqualTo("MGSMGSIM55982395");
        assertThat(MeterProposal.meterIdFrom("\u00e9 !", "meter-1")).isEqualTo("meter-1");
        assertThat(MeterProposal.meterIdFrom("x".repeat(80), "m")).hasSize(64);
    }
}
