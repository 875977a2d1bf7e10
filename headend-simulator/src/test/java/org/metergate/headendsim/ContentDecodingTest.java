// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

/**
 * Compressed readings batches (MQTT contract v1, {@code content-encoding: gzip}) are inflated before de-duplication;
 * a bomb, a corrupt stream or an unknown coding is rejected with the reason and never thrown at the MQTT client.
 */
class ContentDecodingTest {

    private final MessageLedger ledger = new MessageLedger();

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static String batch(String msgId, String... ids) {
        StringBuilder b = new StringBuilder("{\"schema\":\"readings/v1\",\"msgId\":\"" + msgId + "\",\"readings\":[");
        for (int i = 0; i < ids.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\":\"").append(ids[i]).append("\",\"meter\":\"m1\",\"obis\":"
                    + "\"1-0:1.8.0*255\",\"value\":1,\"scaler\":0,\"unit\":\"kWh\",\"ts\":\"2026-01-01T00:0")
                    .append(i).append(":00Z\",\"status\":\"ok\"}");
        }
        return b.append("]}").toString();
    }

    @Test
    void aGzippedBatchIsInflatedAndDeduplicatedLikeAPlainOne() throws Exception {
        byte[] json = batch("b1", "r1", "r2").getBytes(StandardCharsets.UTF_8);
        Observation o = ledger.accept("mg/v1/gw1/readings", gzip(json), false, "gzip").orElseThrow();
        assertThat(o.rejected()).isNull();
        assertThat(o.raw()).isEqualTo(new String(json, StandardCharsets.UTF_8));
        assertThat(o.msgId()).isEqualTo("b1");
        // the same batch resent plain after a reconnect: the msgId of the inflated document is known
        assertThat(ledger.accept("mg/v1/gw1/readings", json, false, null)).isEmpty();
        assertThat(ledger.duplicatesDropped()).isEqualTo(1);
        assertThat(ledger.readings("gw1", "m1")).hasSize(2);
        assertThat(ledger.rejected()).isEmpty();
    }

    @Test
    void aBombOverTheContractsLimitIsRejectedWithoutBeingHeld() throws Exception {
        byte[] bomb = gzip(new byte[ContentDecoding.MAX_INFLATED_BYTES + 1]);
        assertThat(bomb.length).isLessThan(64 * 1024);
        Observation o = ledger.accept("mg/v1/gw1/readings", bomb, false, "gzip").orElseThrow();
        assertThat(o.payload()).isNull();
        assertThat(o.rejected()).contains("inflates to more than " + ContentDecoding.MAX_INFLATED_BYTES + " bytes");
        assertThat(ledger.rejected()).containsExactly(o);
        assertThat(ledger.counts()).isEmpty();
        // exactly at the limit is accepted (and is not JSON, which is reported as such)
        byte[] atLimit = gzip(new byte[ContentDecoding.MAX_INFLATED_BYTES]);
        Observation full = ledger.accept("mg/v1/gw1/readings", atLimit, false, "gzip").orElseThrow();
        assertThat(full.rejected()).isNull();
        assertThat(full.raw()).hasSize(ContentDecoding.MAX_INFLATED_BYTES);
    }

    @Test
    void aSmallerLimitIsHonoured() throws Exception {
        MessageLedger small = new MessageLedger(100);
        byte[] json = batch("b1", "r1", "r2").getBytes(StandardCharsets.UTF_8);
        assertThat(small.accept("mg/v1/gw1/readings", gzip(json), false, "gzip").orElseThrow().rejected())
                .contains("more than 100 bytes");
    }

    @Test
    void corruptTruncatedOrUnknownCodingsAreRejectedWithTheReason() throws Exception {
        byte[] good = gzip(batch("b1", "r1", "r2", "r3").getBytes(StandardCharsets.UTF_8));
        byte[] truncated = Arrays.copyOf(good, good.length - 9);
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x55;
        byte[] notGzip = batch("b2", "r4").getBytes(StandardCharsets.UTF_8);

        assertThat(ledger.accept("mg/v1/gw1/readings", truncated, false, "gzip").orElseThrow().rejected())
                .startsWith("gzip payload of " + truncated.length + " bytes is corrupt or truncated");
        assertThat(ledger.accept("mg/v1/gw1/readings", flipped, false, "gzip").orElseThrow().rejected())
                .contains("is corrupt or truncated");
        assertThat(ledger.accept("mg/v1/gw1/readings", notGzip, false, "gzip").orElseThrow().rejected())
                .contains("is corrupt or truncated", "Not in GZIP format");
        assertThat(ledger.accept("mg/v1/gw1/readings", good, false, "br").orElseThrow().rejected())
                .isEqualTo("content-encoding 'br' is unknown (MQTT contract v1 knows only gzip); payload of "
                        + good.length + " bytes not read");
        assertThat(ledger.rejected()).hasSize(4);
        assertThat(ledger.readings("gw1", "m1")).isEmpty();
        // the next good message is read as usual
        assertThat(ledger.accept("mg/v1/gw1/readings", good, false, "gzip")).isPresent();
        assertThat(ledger.readings("gw1", "m1")).hasSize(3);
    }

    @Test
    void dailyValuesInABatchAreNotReadings() {
        String daily = "{\"schema\":\"daily/v1\",\"id\":\"m1|daily|2026-03-02\",\"meter\":\"m1\",\"day\":\"2026-03-02\","
                + "\"zone\":\"Z\",\"registers\":[{\"id\":\"m1|1-0:1.8.0*255|2026-03-02T00:00:00Z\",\"meter\":\"m1\","
                + "\"obis\":\"1-0:1.8.0*255\",\"value\":2157311,\"scaler\":0,\"unit\":\"Wh\",\"ts\":"
                + "\"2026-03-02T00:00:00Z\",\"status\":\"ok\"}],\"consumption\":null}";
        String withDaily = batch("b1", "r1").replace("]}", "," + daily + "]}");
        Observation o = ledger.accept("mg/v1/gw1/readings", withDaily.getBytes(StandardCharsets.UTF_8), false, null)
                .orElseThrow();
        assertThat(o.readings()).extracting(r -> r.get("id").getAsString()).containsExactly("r1");
        assertThat(o.dailyValues()).extracting(r -> r.get("id").getAsString()).containsExactly("m1|daily|2026-03-02");
        assertThat(ledger.readings("gw1", "m1")).hasSize(1);
        assertThat(ledger.dailyValues("gw1", "m1")).hasSize(1);
        // resent in another batch: still one daily document
        ledger.accept("mg/v1/gw1/readings", batch("b2", "r2").replace("]}", "," + daily + "]}")
                .getBytes(StandardCharsets.UTF_8), false, null);
        assertThat(ledger.dailyValues("gw1", "m1")).hasSize(1);
        assertThat(ledger.readings("gw1", "m1")).hasSize(2);
        assertThat(ledger.orderingViolations()).isEmpty();
    }
}
