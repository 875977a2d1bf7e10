// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.metergate.api.command.CommandHandler;
import org.metergate.api.command.CommandRequest;
import org.metergate.api.command.CommandResult;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.outbox.OutboxStats;

/** Built-in command {@code get-status}: the link, its backlog and every meter's state (cmd-response.json#/$defs/status). */
final class GetStatusCommand implements CommandHandler {

    static final String NAME = "get-status";

    private final Supplier<LinkStatus> status;
    private final Supplier<MeteringService> metering;
    private final String version;

    GetStatusCommand(Supplier<LinkStatus> status, Supplier<MeteringService> metering, String version) {
        this.status = status;
        this.metering = metering;
        this.version = version;
    }

    @Override
    public String command() {
        return NAME;
    }

    @Override
    public CommandResult handle(CommandRequest request) {
        return CommandResult.success(document());
    }

    Map<String, Object> document() {
        LinkStatus s = status.get();
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("state", Payloads.wire(s.state().name()));
        link.put("connected", s.connected());
        link.put("brokerUri", s.brokerUri());
        link.put("connectedSince", Payloads.text(s.connectedSince()));
        link.put("lastPublish", Payloads.text(s.lastPublish()));
        link.put("published", s.published());
        link.put("lastError", s.lastError());
        link.put("lastErrorAt", Payloads.text(s.lastErrorAt()));
        OutboxStats b = s.backlog();
        if (b != null) {
            Map<String, Object> backlog = new LinkedHashMap<>();
            backlog.put("messages", b.messages());
            backlog.put("payloadBytes", b.payloadBytes());
            backlog.put("oldestCreatedAt", Payloads.text(b.oldestCreatedAt()));
            backlog.put("droppedRoutine", b.droppedRoutine());
            backlog.put("lastError", b.lastError());
            link.put("backlog", backlog);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("gateway", s.gatewayId());
        o.put("version", version);
        o.put("link", link);
        List<Object> meters = new ArrayList<>();
        MeteringService service = metering.get();
        if (service != null) {
            service.meters().forEach(m -> meters.add(Payloads.meterStatus(m)));
        }
        o.put("meters", meters);
        return o;
    }
}
