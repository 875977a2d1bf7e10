// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class MessageLedgerTest {

    private final MessageLedger ledger = new MessageLedger();

    private boolean accept(String topic, String json) {
        return ledger.accept(topic, json.getBytes(StandardCharsets.UTF_8), false).isPresent();
    }

    private static String reading(String id, String meter, String ts) {
        return "{\"id\":\"" + id + "\",\"meter\":\"" + meter + "\",\"obis\":\"1-0:1.8.0*255\",\"value\":1,\"scaler\":0,"
                + "\"unit\":\"kWh\",\"ts\":\"" + ts + "\",\"status\":\"ok\"}";
    }

    private static String batch(String msgId, String... readings) {
        return "{\"schema\":\"readings/v1\",\"msgId\":\"" + msgId + "\",\"readings\":[" + String.join(",", readings) + "]}";
    }

    @Test
    void sameMsgIdFromTheSameGatewayIsADuplicateButNotFromAnother() {
        String status = "{\"schema\":\"status/v1\",\"msgId\":\"7\",\"state\":\"online\"}";
        assertThat(accept("mg/v1/gw1/status", status)).isTrue();
        assertThat(accept("mg/v1/gw1/status", status)).isFalse();
        assertThat(accept("mg/v1/gw2/status", status)).isTrue(); // outbox ids are per gateway
        assertThat(ledger.duplicatesDropped()).isEqualTo(1);
        assertThat(ledger.statusOf("gw2")).isPresent();
        assertThat(ledger.gateways()).containsExactly("gw1", "gw2");
    }

    @Test
    void readingsAreDeduplicatedByIdAcrossDifferentlyCutBatches() {
        accept("mg/v1/gw1/readings", batch("a", reading("r1", "m1", "2026-01-01T00:00:00Z"),
                reading("r2", "m1", "2026-01-01T00:15:00Z")));
        accept("mg/v1/gw1/readings", batch("b", reading("r2", "m1", "2026-01-01T00:15:00Z"),
                reading("r3", "m1", "2026-01-01T00:30:00Z")));
        assertThat(ledger.readings("gw1", "m1")).extracting(r -> r.get("id").getAsString())
                .containsExactly("r1", "r2", "r3");
        assertThat(ledger.duplicateReadingsDropped()).isEqualTo(1);
        assertThat(ledger.orderingViolations()).isEmpty();
    }

    @Test
    void orderIsCheckedPerMeterWithOffsetsNormalised() {
        accept("mg/v1/gw1/readings", batch("a", reading("r1", "m1", "2026-01-01T01:00:00+01:00"),
                reading("x1", "m2", "2026-01-01T05:00:00Z")));
        // 00:30Z is after r1 (00:00Z) for m1; m2's earlier clock does not matter for m1
        accept("mg/v1/gw1/readings", batch("b", reading("r2", "m1", "2026-01-01T00:30:00Z")));
        assertThat(ledger.orderingViolations()).isEmpty();
        accept("mg/v1/gw1/readings", batch("c", reading("x0", "m2", "2026-01-01T04:00:00Z")));
        assertThat(ledger.orderingViolations()).singleElement()
                .satisfies(v -> assertThat(v.meter()).isEqualTo("m2"));
    }

    @Test
    void readingsWithoutIdFallBackToMsgIdAndIndex() {
        String noId = "{\"meter\":\"m1\",\"obis\":\"1-0:1.8.0*255\",\"value\":1,\"ts\":\"2026-01-01T00:00:00Z\"}";
        accept("mg/v1/gw1/readings", batch("a", noId, noId));
        assertThat(ledger.readings("gw1", "m1")).hasSize(2);
    }

    @Test
    void malformedPayloadsAndForeignTopicsAreKeptApart() {
        assertThat(accept("mg/v1/gw1/events", "not json")).isTrue();
        assertThat(ledger.observations("gw1", "events")).singleElement()
                .satisfies(o -> assertThat(o.payload()).isNull());
        assertThat(accept("other/topic", "{}")).isFalse();
        assertThat(accept("mg/v1/nolevel", "{}")).isFalse();
        assertThat(ledger.foreignTopics()).isEqualTo(2);
        assertThat(ledger.counts()).containsExactly(java.util.Map.entry("gw1/events", 1L));
    }

    @Test
    void awaitFailsWithWhatItWasWaitingFor() {
        assertThatThrownBy(() -> ledger.await(() -> ledger.readings("gw1", "m1"), l -> !l.isEmpty(),
                Duration.ofMillis(50), () -> "readings of gw1/m1")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("readings of gw1/m1");
    }
}
