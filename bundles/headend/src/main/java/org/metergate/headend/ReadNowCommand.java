// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.util.function.Supplier;

import org.metergate.api.command.CommandHandler;
import org.metergate.api.command.CommandRequest;
import org.metergate.api.command.CommandResult;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeteringService;

/**
 * Built-in command {@code read-now}: reads one meter at once through the metering service
 * (cmd-response.json#/$defs/readout); a meter that fails answers {@code meter-<reason>} with the technician's text.
 */
final class ReadNowCommand implements CommandHandler {

    static final String NAME = "read-now";

    private final Supplier<MeteringService> metering;

    ReadNowCommand(Supplier<MeteringService> metering) {
        this.metering = metering;
    }

    @Override
    public String command() {
        return NAME;
    }

    @Override
    public CommandResult handle(CommandRequest request) {
        String meterId = request.text("meter").orElse("");
        if (meterId.isBlank()) {
            return CommandResult.failure("missing-field",
                    "read-now needs the meter id as a string: {\"meter\":\"<meter id>\"}");
        }
        MeteringService service = metering.get();
        if (service == null) {
            return CommandResult.failure("metering-unavailable",
                    "the metering service is not running on this gateway; try again later");
        }
        try {
            return CommandResult.success(Payloads.readout(service.readNow(meterId)));
        } catch (MeterException e) {
            String reason = Payloads.wire(e.reason().name());
            String message = e.getMessage();
            return CommandResult.failure("meter-" + reason, message == null || message.isBlank()
                    ? "meter " + meterId + " could not be read (" + reason + ")" : message);
        }
    }
}
