// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterState;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.Reading;
import org.metergate.api.meter.ReadingStatus;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.api.outbox.Retention;
import org.metergate.api.security.DeviceIdentity;
import org.metergate.api.uplink.UplinkState;
import org.metergate.api.uplink.UplinkStatus;

/** The overview and meters pages from the gateway's services: real values, plain-language problems, escaped text. */
class StatusPagesTest {

    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
    private final MutableClock clock = new MutableClock(NOW);

    private static final MeterStatus ONLINE = new MeterStatus("m1", "IEC 62056-21", "/dev/ttyUSB0",
            MeterState.ONLINE, NOW.minusSeconds(40), NOW.minusSeconds(40), NOW.plusSeconds(20), 0, null);
    private static final MeterStatus BROKEN = new MeterStatus("m2<b>", "DLMS/COSEM", "tcp://10.0.0.9:4059",
            MeterState.UNREACHABLE, null, NOW.minusSeconds(5), NOW.plusSeconds(60), 4,
            "no answer within 5 s <script>alert(1)</script>");

    private static final class Metering implements MeteringService {
        @Override
        public List<MeterStatus> meters() {
            return List.of(ONLINE, BROKEN);
        }

        @Override
        public Optional<MeterStatus> meter(String meterId) {
            return meters().stream().filter(m -> m.meterId().equals(meterId)).findFirst();
        }

        @Override
        public Optional<MeterReadout> lastReadout(String meterId) {
            if (!"m1".equals(meterId)) {
                return Optional.empty();
            }
            return Optional.of(new MeterReadout("m1", "ABC123", NOW.minusSeconds(40), List.of(
                    Reading.numeric("m1", ObisCode.parse("1-0:1.8.0*255"), new BigDecimal("1234567"), -3, "kWh",
                            NOW.minusSeconds(40), ReadingStatus.OK))));
        }

        @Override
        public MeterReadout readNow(String meterId) throws MeterException {
            throw new MeterException(MeterException.Reason.REFUSED, "not read in this test");
        }
    }

    private static final class FixedOutbox implements Outbox {
        @Override
        public OutboxMessage append(MessageKind kind, String meterId, Retention retention, String payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<OutboxMessage> oldest(Set<MessageKind> kinds, int max) {
            return List.of();
        }

        @Override
        public void acknowledge(Collection<String> msgIds) {
        }

        @Override
        public OutboxStats stats() {
            return new OutboxStats(17, 4096, NOW.minus(Duration.ofMinutes(75)), 0, "disk full");
        }
    }

    private static final class Uncommissioned implements DeviceIdentity {
        @Override
        public String gatewayId() {
            return "gw-7";
        }

        @Override
        public SSLContext clientTlsContext() throws GeneralSecurityException {
            throw new GeneralSecurityException("no signed device certificate installed yet");
        }
    }

    @Test
    void theOverviewTellsWhatIsWrongInPlainLanguage() {
        StatusCollector collector = new StatusCollector(clock, NOW.minus(Duration.ofHours(26)), "0.1.0.SNAPSHOT",
                Uncommissioned::new, Metering::new, FixedOutbox::new, () -> () -> new UplinkStatus("ssl://headend:8883",
                        UplinkState.WAITING_TO_RECONNECT, null, null, 0, "TLS handshake failed: certificate expired",
                        NOW));
        GatewayStatus status = collector.collect();
        assertThat(status.problems()).containsExactly(
                "Device certificate: no signed device certificate installed yet.",
                "Head-end link down: TLS handshake failed: certificate expired",
                "Outbox: disk full",
                "Meter m2<b> (unreachable): no answer within 5 s <script>alert(1)</script>");

        String html = Pages.overview(status, "token-1");
        assertThat(html).contains("<dd>gw-7</dd>").contains("<dd>0.1.0.SNAPSHOT</dd>").contains("<dd>1 d 2 h</dd>")
                .contains("17 messages waiting, 4096 bytes").contains("<dd>1 h 15 min old</dd>")
                .contains("2 configured, 1 online").contains("m2&lt;b&gt;")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>")
                .contains("not connected to ssl://headend:8883, retrying: TLS handshake failed")
                .contains("value=\"token-1\"");
    }

    @Test
    void aConnectedLinkIsNoProblem() {
        Instant since = NOW.minus(Duration.ofHours(2));
        GatewayStatus status = new StatusCollector(clock, NOW, "0.1.0", () -> null, () -> null, () -> null,
                () -> () -> new UplinkStatus("ssl://headend:8883", UplinkState.CONNECTED, since, NOW.minusSeconds(3),
                        120, null, null)).collect();
        assertThat(status.headendLink()).isEqualTo("connected to ssl://headend:8883 since 2026-03-01 06:00:00 UTC; "
                + "last message sent 2026-03-01 07:59:57 UTC");
        assertThat(status.problems()).noneMatch(p -> p.contains("Head-end"));

        GatewayStatus unconfigured = new StatusCollector(clock, NOW, "0.1.0", () -> null, () -> null, () -> null,
                () -> () -> new UplinkStatus(null, UplinkState.MISCONFIGURED, null, null, 0,
                        "brokerUri is empty in conf/org.metergate.headend.cfg", NOW)).collect();
        assertThat(unconfigured.problems())
                .contains("Head-end link not configured: brokerUri is empty in conf/org.metergate.headend.cfg");
    }

    @Test
    void missingServicesAreProblemsNotInventedValues() {
        GatewayStatus status = new StatusCollector(clock, NOW, "0.1.0", () -> null, () -> null, () -> null, () -> null)
                .collect();
        assertThat(status.gatewayId()).isNull();
        assertThat(status.outbox()).isNull();
        assertThat(status.problems()).hasSize(3).anySatisfy(p -> assertThat(p).contains("no identity"))
                .anySatisfy(p -> assertThat(p).contains("store is not running"))
                .anySatisfy(p -> assertThat(p).contains("Metering is not running"));
        assertThat(status.headendLink()).isEqualTo(StatusCollector.LINK_NOT_REPORTED);
        assertThat(Pages.overview(status, "t")).contains("<dd>not set</dd>").contains("<dd>not running</dd>");
    }

    @Test
    void theMetersPageListsStateAndLastReading() {
        GatewayStatus status = new StatusCollector(clock, NOW, "0.1.0", Uncommissioned::new, Metering::new,
                FixedOutbox::new, () -> null).collect();
        String html = Pages.meters(status, "t");
        assertThat(html).contains("<td><a href=\"/meters/m1\">m1</a></td>").contains("<td>online</td>")
                .contains("<a href=\"/meters/m2%3Cb%3E\">m2&lt;b&gt;</a>")
                .contains("1-0:1.8.0*255 = 1234.567 kWh").contains("<td>unreachable</td>")
                .contains("tr class=\"unreachable\"").contains("none yet")
                .contains("&lt;script&gt;").doesNotContain("<script>");
    }
}
