// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.api.security.DeviceIdentity;
import org.metergate.api.uplink.Uplink;
import org.metergate.api.uplink.UplinkStatus;

/**
 * Builds a {@link GatewayStatus} from whichever of the gateway's services are running right now; a missing service
 * becomes a problem sentence, never an invented value.
 */
final class StatusCollector {

    static final String LINK_NOT_REPORTED = "not reported by the head-end link; the outbox depth below shows "
            + "whether messages leave the gateway";

    private final Clock clock;
    private final Instant startedAt;
    private final String version;
    private final Supplier<DeviceIdentity> identity;
    private final Supplier<MeteringService> metering;
    private final Supplier<Outbox> outbox;
    private final Supplier<Uplink> uplink;

    StatusCollector(Clock clock, Instant startedAt, String version, Supplier<DeviceIdentity> identity,
            Supplier<MeteringService> metering, Supplier<Outbox> outbox, Supplier<Uplink> uplink) {
        this.clock = clock;
        this.startedAt = startedAt;
        this.version = version;
        this.identity = identity;
        this.metering = metering;
        this.outbox = outbox;
        this.uplink = uplink;
    }

    GatewayStatus collect() {
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>();

        DeviceIdentity id = identity.get();
        String gatewayId = null;
        if (id == null) {
            problems.add("The gateway has no identity: set gatewayId in conf/org.metergate.security.cfg. Without it "
                    + "there is no device certificate and no head-end link.");
        } else {
            gatewayId = id.gatewayId();
            try {
                id.clientTlsContext();
            } catch (GeneralSecurityException e) {
                problems.add("Device certificate: " + e.getMessage() + ".");
            }
        }

        String link = link(uplink.get(), problems);

        Outbox box = outbox.get();
        OutboxStats stats = null;
        if (box == null) {
            problems.add("The store is not running: readings cannot be queued for the head-end. Check "
                    + "conf/org.metergate.store.cfg and the log.");
        } else {
            stats = box.stats();
            if (stats.lastError() != null && !stats.lastError().isBlank()) {
                problems.add("Outbox: " + stats.lastError());
            }
        }

        MeteringService service = metering.get();
        List<MeterStatus> meters = List.of();
        Map<String, MeterReadout> readouts = new LinkedHashMap<>();
        if (service == null) {
            problems.add("Metering is not running: no meter is read. Check conf/org.metergate.metering.cfg and the "
                    + "log.");
        } else {
            meters = service.meters();
            for (MeterStatus meter : meters) {
                service.lastReadout(meter.meterId()).ifPresent(r -> readouts.put(meter.meterId(), r));
                if (meter.lastError() != null && !meter.lastError().isBlank()) {
                    problems.add("Meter " + meter.meterId() + " (" + Text.state(meter.state()) + "): "
                            + meter.lastError());
                }
            }
        }
        Duration uptime = Duration.between(startedAt, now);
        return new GatewayStatus(now, gatewayId, version, uptime.isNegative() ? Duration.ZERO : uptime,
                link, stats, meters, readouts, problems);
    }

    /** The link in one line; a link that is down also becomes a problem with its last error. */
    private static String link(Uplink service, List<String> problems) {
        if (service == null) {
            return LINK_NOT_REPORTED;
        }
        UplinkStatus status = service.status();
        String broker = status.brokerUri() == null ? "the broker" : status.brokerUri();
        String error = status.lastError() == null || status.lastError().isBlank() ? null : status.lastError();
        switch (status.state()) {
            case CONNECTED:
                return "connected to " + broker + " since " + Text.time(status.connectedSince())
                        + "; last message sent " + Text.time(status.lastPublish());
            case CONNECTING:
                return "connecting to " + broker;
            case WAITING_TO_RECONNECT:
                problems.add("Head-end link down: " + (error == null ? "no connection to " + broker : error));
                return "not connected to " + broker + ", retrying" + (error == null ? "" : ": " + error);
            case MISCONFIGURED:
                problems.add("Head-end link not configured: " + (error == null ? "see the log" : error));
                return "not configured" + (error == null ? "" : ": " + error);
            case STOPPED:
            default:
                return "stopped";
        }
    }
}
