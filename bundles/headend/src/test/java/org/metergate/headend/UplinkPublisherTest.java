// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.metergate.api.uplink.UplinkState;
import org.metergate.api.uplink.UplinkStatus;

class UplinkPublisherTest {

    @Test
    void everyLinkStateHasTheSameNameInTheApi() {
        for (LinkState state : LinkState.values()) {
            assertThat(UplinkState.valueOf(state.name()).name()).isEqualTo(state.name());
        }
    }

    @Test
    void statusCarriesBrokerStateTimesAndError() {
        Instant since = Instant.parse("2026-12-01T10:00:00Z");
        Instant last = Instant.parse("2026-12-01T10:05:00Z");
        Instant failed = Instant.parse("2026-12-01T09:59:00Z");
        UplinkStatus s = UplinkPublisher.toApi(new LinkStatus("gw1", "ssl://broker:8883", LinkState.CONNECTED, since,
                last, 42, "broker refused the certificate", failed, null));
        assertThat(s).isEqualTo(new UplinkStatus("ssl://broker:8883", UplinkState.CONNECTED, since, last, 42,
                "broker refused the certificate", failed));
        assertThat(s.connected()).isTrue();
    }
}
