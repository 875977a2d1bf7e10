// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.metergate.api.credit.CreditService;
import org.metergate.api.credit.Receipt;
import org.metergate.api.credit.ReceiptStage;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterState;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.Reading;
import org.metergate.api.meter.ReadingStatus;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonObject;
import org.metergate.testing.MqttContractSchemas;

/**
 * Fuzzes what the head-end (or anyone who can publish on the gateway's topics) sends down: command requests
 * on {@code cmd/<name>} with any name and payload, and credit-token messages. {@link Downlink} must never
 * throw, and every command gets a response that follows the cmd-response/v1 schema. Saved inputs:
 * src/test/resources/org/metergate/headend/DownlinkFuzzTargetsInputs/downlink/.
 */
class DownlinkFuzzTargets {

    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");
    private static final String[] NAMES = {Downlink.GET_STATUS, Downlink.READ_NOW, "set-low-credit-threshold"};

    @FuzzTest(maxDuration = "10s")
    void downlink(FuzzedDataProvider data) {
        MemoryOutbox outbox = new MemoryOutbox();
        Downlink downlink = new Downlink(OneMeter::new, AcceptingCredit::new, outbox,
                () -> new LinkStatus("gw1", "ssl://127.0.0.1:8883", LinkState.CONNECTED, AT, AT, 3, null, null,
                        outbox.stats()), "1.2.3", new RecordingLog());
        if (data.consumeBoolean()) {
            downlink.token(data.consumeRemainingAsBytes());
            assertThat(outbox.stats().messages()).isLessThanOrEqualTo(1);
            return;
        }
        String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(40);
        JsonObject response = downlink.command(name, data.consumeRemainingAsBytes());
        MqttContractSchemas.assertValid("cmd-response.json", Payloads.text(response));
        assertThat(response.get("command").getAsString()).isEqualTo(name);
        assertThat(outbox.stats().messages()).isZero();
    }

    /** Knows meter m1 and reads it; any other id is not configured. */
    static final class OneMeter implements MeteringService {
        @Override
        public List<MeterStatus> meters() {
            return List.of(new MeterStatus("m1", "iec62056-21", "tcp://127.0.0.1:4001", MeterState.ONLINE, AT, AT,
                    AT.plusSeconds(900), 0, null));
        }

        @Override
        public Optional<MeterStatus> meter(String meterId) {
            return meters().stream().filter(m -> m.meterId().equals(meterId)).findFirst();
        }

        @Override
        public Optional<MeterReadout> lastReadout(String meterId) {
            return Optional.empty();
        }

        @Override
        public MeterReadout readNow(String meterId) throws MeterException {
            if (!meterId.equals("m1")) {
                throw new MeterException(MeterException.Reason.CONFIGURATION, "meter '" + meterId + "' is not configured");
            }
            return new MeterReadout("m1", "MGS5MG100", AT, List.of(Reading.numeric("m1", ObisCode.parse("1.8.0"),
                    new BigDecimal("1234.567"), 0, "kWh", AT, ReadingStatus.OK)));
        }
    }

    /** Accepts every token it is handed, as the prepay bundle's first receipt does. */
    static final class AcceptingCredit implements CreditService {
        @Override
        public Receipt submit(String compactToken) {
            return new Receipt("jti-1", "m1", ReceiptStage.ACCEPTED, null, null, "EUR", AT);
        }

        @Override
        public List<Receipt> receipts(String tokenId) {
            return List.of();
        }
    }
}
