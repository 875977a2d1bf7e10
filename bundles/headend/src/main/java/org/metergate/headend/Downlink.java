// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import org.metergate.api.command.CommandHandler;
import org.metergate.api.command.CommandRequest;
import org.metergate.api.command.CommandResult;
import org.metergate.api.credit.CreditService;
import org.metergate.api.credit.Receipt;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.Retention;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * What the head-end sends down: commands (answered with a {@code cmd-response/v1} document) and credit
 * tokens (handed to the prepay bundle's {@link CreditService}). Every command, built in or published by another
 * bundle, is a {@link CommandHandler}: the request is parsed here once, and the handler's {@link CommandResult}
 * becomes the response. Never throws: every failure becomes an error response or a log line.
 */
final class Downlink {

    static final String GET_STATUS = GetStatusCommand.NAME;
    static final String READ_NOW = ReadNowCommand.NAME;
    /** The commands the link answers itself; no other bundle may take these names. */
    static final Set<String> BUILT_IN = Set.of(GET_STATUS, READ_NOW);

    private final Map<String, CommandHandler> builtIn;
    private final Supplier<CreditService> credit;
    private final Function<String, CommandHandler> contributed;
    private final Outbox outbox;
    private final LinkLog log;

    Downlink(Supplier<MeteringService> metering, Supplier<CreditService> credit, Outbox outbox,
            Supplier<LinkStatus> status, String version, LinkLog log) {
        this(metering, credit, name -> null, outbox, status, version, log);
    }

    /** @param contributed the handler another bundle publishes for a command name, or null */
    Downlink(Supplier<MeteringService> metering, Supplier<CreditService> credit,
            Function<String, CommandHandler> contributed, Outbox outbox, Supplier<LinkStatus> status,
            String version, LinkLog log) {
        this.builtIn = Map.of(GET_STATUS, new GetStatusCommand(status, metering, version),
                READ_NOW, new ReadNowCommand(metering));
        this.credit = credit;
        this.contributed = contributed;
        this.outbox = outbox;
        this.log = log;
    }

    /** Runs command {@code name} with its request payload and returns the response document. */
    JsonObject command(String name, byte[] payload) {
        String responseId = UUID.randomUUID().toString();
        JsonObject request;
        String text = payload == null ? "" : new String(payload, StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            request = new JsonObject();
        } else {
            try {
                JsonElement e = JsonParser.parseString(text);
                if (!e.isJsonObject()) {
                    return Payloads.commandError(responseId, name, null, "malformed-request",
                            "the request must be a JSON object, got: " + abbreviate(text));
                }
                request = e.getAsJsonObject();
            } catch (JsonParseException e) {
                return Payloads.commandError(responseId, name, null, "malformed-request",
                        "the request is not valid JSON (" + rootMessage(e) + "): " + abbreviate(text));
            }
        }
        String requestId = stringField(request, "msgId");
        CommandHandler handler = builtIn.get(name);
        if (handler == null) {
            handler = contributed.apply(name);
        }
        if (handler == null) {
            return Payloads.commandError(responseId, name, requestId, "unknown-command", "command '" + name
                    + "' is not known to this gateway (or the bundle that runs it is not active); built in: "
                    + GET_STATUS + ", " + READ_NOW);
        }
        CommandResult result;
        try {
            result = handler.handle(new CommandRequest(name, requestId, arguments(request)));
        } catch (RuntimeException e) {
            log.error("command " + name + " failed unexpectedly", e);
            return Payloads.commandError(responseId, name, requestId, "internal-error",
                    "the gateway could not run " + name + ": " + e);
        }
        if (result instanceof CommandResult.Success success) {
            return Payloads.commandOk(responseId, name, requestId, Payloads.json(success.result()));
        }
        if (result instanceof CommandResult.Failure failure) {
            return Payloads.commandError(responseId, name, requestId, failure.code(), failure.message());
        }
        log.error("command " + name + " answered nothing (its handler returned null)", null);
        return Payloads.commandError(responseId, name, requestId, "internal-error",
                "the gateway could not run " + name + ": its handler gave no answer");
    }

    /** The request's members beside {@code schema} and {@code msgId}, as JSON values. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> arguments(JsonObject request) {
        Map<String, Object> arguments = (Map<String, Object>) Payloads.values(request);
        arguments.remove("schema");
        arguments.remove("msgId");
        return arguments;
    }

    /**
     * Hands a credit token to the prepay bundle and queues its first receipt. Runs before the PUBACK for the
     * token goes back, so a token the broker considers delivered is already in the prepay ledger.
     */
    void token(byte[] payload) {
        String text = payload == null ? "" : new String(payload, StandardCharsets.UTF_8).trim();
        Optional<String> token = compactToken(text);
        if (token.isEmpty()) {
            log.warn("credit token message ignored: expected {\"schema\":\"token/v1\",\"msgId\":...,\"token\":\"<JWS>\"}"
                    + " but got: " + abbreviate(text));
            return;
        }
        CreditService service = credit.get();
        if (service == null) {
            log.warn("credit token received but the prepay service is not running: it is not applied and gets no"
                    + " receipt; the head-end should send it again later");
            return;
        }
        Receipt receipt;
        try {
            receipt = service.submit(token.get());
        } catch (RuntimeException e) {
            log.error("prepay service failed on a credit token; the head-end gets no receipt and should retry", e);
            return;
        }
        try {
            outbox.append(MessageKind.RECEIPT, receipt.meterId(), Retention.RECEIPT,
                    Payloads.text(Payloads.receipt(receipt)));
        } catch (OutboxException e) {
            log.error("receipt " + receipt.stage().wireName() + " for token " + receipt.tokenId()
                    + " could not be queued (" + e.reason() + "); the prepay ledger has it", e);
        }
    }

    private static Optional<String> compactToken(String text) {
        if (text.startsWith("{")) {
            try {
                JsonElement e = JsonParser.parseString(text);
                if (e.isJsonObject()) {
                    String t = stringField(e.getAsJsonObject(), "token");
                    return t == null || t.isBlank() ? Optional.empty() : Optional.of(t.trim());
                }
            } catch (JsonParseException e) {
                return Optional.empty();
            }
            return Optional.empty();
        }
        // a bare JWS compact serialization: three base64url parts
        return text.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+") ? Optional.of(text) : Optional.empty();
    }

    private static String stringField(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
