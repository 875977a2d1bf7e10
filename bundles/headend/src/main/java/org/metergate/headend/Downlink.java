// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import org.metergate.api.credit.CreditService;
import org.metergate.api.credit.Receipt;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxStats;
import org.metergate.api.outbox.Retention;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * What the head-end sends down: commands (answered with a {@code cmd-response/v1} document) and credit
 * tokens (handed to the prepay bundle's {@link CreditService}). Never throws: every failure becomes an
 * error response or a log line.
 */
final class Downlink {

    static final String GET_STATUS = "get-status";
    static final String READ_NOW = "read-now";

    /**
     * Service property naming the command a {@code java.util.function.Function<String, String>} service answers.
     * The handler gets the request document as JSON text and returns {@code {"ok":true,"result":{...}}} or
     * {@code {"ok":false,"error":{"code":"...","message":"..."}}}; the link adds the response envelope.
     */
    static final String COMMAND_PROPERTY = "metergate.command";

    private final Supplier<MeteringService> metering;
    private final Supplier<CreditService> credit;
    private final Function<String, Function<String, String>> extraCommands;
    private final Outbox outbox;
    private final Supplier<LinkStatus> status;
    private final String version;
    private final LinkLog log;

    Downlink(Supplier<MeteringService> metering, Supplier<CreditService> credit, Outbox outbox,
            Supplier<LinkStatus> status, String version, LinkLog log) {
        this(metering, credit, name -> null, outbox, status, version, log);
    }

    Downlink(Supplier<MeteringService> metering, Supplier<CreditService> credit,
            Function<String, Function<String, String>> extraCommands, Outbox outbox, Supplier<LinkStatus> status,
            String version, LinkLog log) {
        this.metering = metering;
        this.credit = credit;
        this.extraCommands = extraCommands;
        this.outbox = outbox;
        this.status = status;
        this.version = version;
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
        try {
            switch (name) {
                case GET_STATUS:
                    return Payloads.commandOk(responseId, name, requestId, statusDocument());
                case READ_NOW:
                    return readNow(responseId, requestId, request);
                default:
                    Function<String, String> handler = extraCommands.apply(name);
                    if (handler != null) {
                        return extra(responseId, name, requestId, handler, request);
                    }
                    return Payloads.commandError(responseId, name, requestId, "unknown-command", "command '" + name
                            + "' is not known to this gateway (or the bundle that runs it is not active); built in: "
                            + GET_STATUS + ", " + READ_NOW);
            }
        } catch (RuntimeException e) {
            log.error("command " + name + " failed unexpectedly", e);
            return Payloads.commandError(responseId, name, requestId, "internal-error",
                    "the gateway could not run " + name + ": " + e);
        }
    }

    /** Runs a command another bundle publishes and wraps its answer in the response envelope. */
    private JsonObject extra(String responseId, String name, String requestId, Function<String, String> handler,
            JsonObject request) {
        String answer = handler.apply(request.toString());
        JsonObject o;
        try {
            JsonElement e = answer == null ? null : JsonParser.parseString(answer);
            o = e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            o = null;
        }
        if (o == null || !o.has("ok") || !o.get("ok").isJsonPrimitive()) {
            log.error("command " + name + " answered something that is not {ok, result|error}: "
                    + abbreviate(String.valueOf(answer)), null);
            return Payloads.commandError(responseId, name, requestId, "internal-error",
                    "the gateway could not run " + name + ": its handler gave no usable answer");
        }
        if (o.get("ok").getAsBoolean()) {
            JsonElement result = o.get("result");
            return Payloads.commandOk(responseId, name, requestId, result == null ? new JsonObject() : result);
        }
        JsonObject error = o.has("error") && o.get("error").isJsonObject() ? o.getAsJsonObject("error")
                : new JsonObject();
        String code = stringField(error, "code");
        String message = stringField(error, "message");
        return Payloads.commandError(responseId, name, requestId, code == null ? "internal-error" : code,
                message == null ? name + " failed" : message);
    }

    private JsonObject readNow(String responseId, String requestId, JsonObject request) {
        String meterId = stringField(request, "meter");
        if (meterId == null || meterId.isBlank()) {
            return Payloads.commandError(responseId, READ_NOW, requestId, "missing-field",
                    "read-now needs the meter id as a string: {\"meter\":\"<meter id>\"}");
        }
        MeteringService service = metering.get();
        if (service == null) {
            return Payloads.commandError(responseId, READ_NOW, requestId, "metering-unavailable",
                    "the metering service is not running on this gateway; try again later");
        }
        try {
            MeterReadout readout = service.readNow(meterId);
            return Payloads.commandOk(responseId, READ_NOW, requestId, Payloads.readout(readout));
        } catch (MeterException e) {
            return Payloads.commandError(responseId, READ_NOW, requestId, "meter-" + Payloads.wire(e.reason().name()),
                    e.getMessage());
        }
    }

    JsonObject statusDocument() {
        LinkStatus s = status.get();
        JsonObject link = new JsonObject();
        link.addProperty("state", Payloads.wire(s.state().name()));
        link.addProperty("connected", s.connected());
        link.addProperty("brokerUri", s.brokerUri());
        link.add("connectedSince", Payloads.instant(s.connectedSince()));
        link.add("lastPublish", Payloads.instant(s.lastPublish()));
        link.addProperty("published", s.published());
        link.addProperty("lastError", s.lastError());
        link.add("lastErrorAt", Payloads.instant(s.lastErrorAt()));
        OutboxStats b = s.backlog();
        if (b != null) {
            JsonObject backlog = new JsonObject();
            backlog.addProperty("messages", b.messages());
            backlog.addProperty("payloadBytes", b.payloadBytes());
            backlog.add("oldestCreatedAt", Payloads.instant(b.oldestCreatedAt()));
            backlog.addProperty("droppedRoutine", b.droppedRoutine());
            backlog.addProperty("lastError", b.lastError());
            link.add("backlog", backlog);
        }
        JsonObject o = new JsonObject();
        o.addProperty("gateway", s.gatewayId());
        o.addProperty("version", version);
        o.add("link", link);
        JsonArray meters = new JsonArray();
        MeteringService service = metering.get();
        if (service != null) {
            service.meters().forEach(m -> meters.add(Payloads.meterStatus(m)));
        }
        o.add("meters", meters);
        return o;
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
