// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.metergate.api.command.CommandHandler;
import org.metergate.api.command.CommandRequest;
import org.metergate.api.command.CommandResult;
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
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.Retention;

import com.google.gson.JsonObject;
import org.metergate.testing.MqttContractSchemas;

class DownlinkTest {

    static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

    /** Knows meter m1; m-silent never answers. */
    static class TestMetering implements MeteringService {
        final List<String> reads = new ArrayList<>();

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
            reads.add(meterId);
            if (meterId.equals("m-silent")) {
                throw new MeterException(MeterException.Reason.NO_ANSWER,
                        "no answer from meter m-silent on /dev/ttyUSB0 at 300 baud - probe upside down?");
            }
            if (!meterId.equals("m1")) {
                throw new MeterException(MeterException.Reason.CONFIGURATION, "meter '" + meterId + "' is not configured");
            }
            return new MeterReadout("m1", "ABC5MG100", AT, List.of(
                    Reading.numeric("m1", ObisCode.parse("1.8.0"), new BigDecimal("1234.567"), 0, "kWh", AT,
                            ReadingStatus.OK),
                    Reading.numeric("m1", ObisCode.parse("1-0:32.7.0.255"), new BigDecimal("2301"), -1, "V", AT,
                            ReadingStatus.OK),
                    Reading.text("m1", ObisCode.parse("C.1.0"), "12345678", AT, ReadingStatus.OK)));
        }
    }

    static final class TestCredit implements CreditService {
        final List<String> tokens = new ArrayList<>();

        @Override
        public Receipt submit(String compactToken) {
            tokens.add(compactToken);
            return new Receipt("jti-1", "m1", ReceiptStage.ACCEPTED, null, null, "EUR", AT);
        }

        @Override
        public List<Receipt> receipts(String tokenId) {
            return List.of();
        }
    }

    private final TestMetering metering = new TestMetering();
    private final TestCredit credit = new TestCredit();
    private final MemoryOutbox outbox = new MemoryOutbox();
    private final RecordingLog log = new RecordingLog();
    private MeteringService meteringRef = metering;
    private CreditService creditRef = credit;
    private final Downlink downlink = new Downlink(() -> meteringRef, () -> creditRef, outbox,
            () -> new LinkStatus("gw1", "ssl://127.0.0.1:8883", LinkState.CONNECTED, AT, AT, 3, null, null,
                    outbox.stats()), "1.2.3", log);

    private JsonObject run(String name, String payload) {
        JsonObject response = downlink.command(name, payload == null ? null : payload.getBytes(StandardCharsets.UTF_8));
        MqttContractSchemas.assertValid("cmd-response.json", Payloads.text(response));
        return response;
    }

    @Test
    void getStatusReportsLinkBacklogAndMeters() {
        outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "{}");
        JsonObject r = run("get-status", "{\"schema\":\"cmd/v1\",\"msgId\":\"q1\"}");
        assertThat(r.get("ok").getAsBoolean()).isTrue();
        assertThat(r.get("requestMsgId").getAsString()).isEqualTo("q1");
        JsonObject result = r.getAsJsonObject("result");
        assertThat(result.get("version").getAsString()).isEqualTo("1.2.3");
        assertThat(result.getAsJsonObject("link").get("connected").getAsBoolean()).isTrue();
        assertThat(result.getAsJsonObject("link").getAsJsonObject("backlog").get("messages").getAsLong()).isEqualTo(1);
        assertThat(result.getAsJsonArray("meters").get(0).getAsJsonObject().get("state").getAsString())
                .isEqualTo("online");
    }

    @Test
    void getStatusAcceptsAnEmptyPayload() {
        assertThat(run("get-status", "").get("ok").getAsBoolean()).isTrue();
    }

    @Test
    void readNowReturnsTheMetersReadings() {
        JsonObject r = run("read-now", "{\"schema\":\"cmd/v1\",\"msgId\":\"q2\",\"meter\":\"m1\"}");
        assertThat(r.get("ok").getAsBoolean()).isTrue();
        assertThat(metering.reads).containsExactly("m1");
        var readings = r.getAsJsonObject("result").getAsJsonArray("readings");
        assertThat(readings).hasSize(3);
        JsonObject energy = readings.get(0).getAsJsonObject();
        assertThat(energy.get("obis").getAsString()).isEqualTo("1-0:1.8.0*255");
        assertThat(energy.get("value").getAsBigDecimal()).isEqualByComparingTo("1234.567");
        assertThat(readings.get(1).getAsJsonObject().get("scaler").getAsInt()).isEqualTo(-1);
        assertThat(readings.get(2).getAsJsonObject().get("value").getAsString()).isEqualTo("12345678");
    }

    @Test
    void meterFailureBecomesAnErrorWithTheTechniciansMessage() {
        JsonObject r = run("read-now", "{\"schema\":\"cmd/v1\",\"msgId\":\"q3\",\"meter\":\"m-silent\"}");
        assertThat(r.get("ok").getAsBoolean()).isFalse();
        assertThat(r.getAsJsonObject("error").get("code").getAsString()).isEqualTo("meter-no-answer");
        assertThat(r.getAsJsonObject("error").get("message").getAsString()).contains("probe upside down");
    }

    @Test
    void badRequestsGetSpecificErrors() {
        assertThat(errorCode(run("read-now", "{\"schema\":\"cmd/v1\",\"msgId\":\"q4\"}"))).isEqualTo("missing-field");
        assertThat(errorCode(run("read-now", "{\"meter\": 42}"))).isEqualTo("missing-field");
        assertThat(errorCode(run("read-now", "{\"meter\":"))).isEqualTo("malformed-request");
        assertThat(errorCode(run("read-now", "[1,2]"))).isEqualTo("malformed-request");
        assertThat(errorCode(run("self-destruct", "{}"))).isEqualTo("unknown-command");
        JsonObject unknown = run("self-destruct", "{}");
        assertThat(unknown.getAsJsonObject("error").get("message").getAsString()).contains("get-status", "read-now");
    }

    @Test
    void readNowWithoutMeteringSaysSo() {
        meteringRef = null;
        assertThat(errorCode(run("read-now", "{\"meter\":\"m1\"}"))).isEqualTo("metering-unavailable");
    }

    @Test
    void tokenGoesToPrepayAndItsFirstReceiptIsQueued() {
        String jws = "eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJqdGktMSJ9.c2ln";
        downlink.token(("{\"schema\":\"token/v1\",\"msgId\":\"t1\",\"token\":\"" + jws + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        downlink.token(jws.getBytes(StandardCharsets.UTF_8)); // bare JWS is accepted too
        assertThat(credit.tokens).containsExactly(jws, jws);
        List<OutboxMessage> queued = outbox.all();
        assertThat(queued).hasSize(2).allMatch(m -> m.kind() == MessageKind.RECEIPT && m.retention() == Retention.RECEIPT);
        assertThat(queued.get(0).payload()).contains("\"stage\":\"accepted\"", "\"token\":\"jti-1\"");
    }

    @Test
    void tokensWithoutPrepayOrMalformedAreLoggedNotLostSilently() {
        creditRef = null;
        downlink.token("{\"token\":\"a.b.c\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(log.contains("WARN", "prepay service is not running")).isTrue();
        creditRef = credit;
        downlink.token("not a token".getBytes(StandardCharsets.UTF_8));
        assertThat(log.contains("WARN", "credit token message ignored")).isTrue();
        assertThat(credit.tokens).isEmpty();
        assertThat(outbox.size()).isZero();
    }

    /** A contributed command that records its requests and answers what the test sets. */
    private static final class ScriptedCommand implements CommandHandler {
        final List<CommandRequest> requests = new ArrayList<>();
        Supplier<CommandResult> answer;

        @Override
        public String command() {
            return "set-something";
        }

        @Override
        public CommandResult handle(CommandRequest request) {
            requests.add(request);
            return answer.get();
        }
    }

    private Downlink withContributed(CommandHandler handler) {
        return new Downlink(() -> meteringRef, () -> creditRef,
                name -> name.equals(handler.command()) ? handler : null, outbox,
                () -> new LinkStatus("gw1", "ssl://127.0.0.1:8883", LinkState.CONNECTED, AT, AT, 3, null, null,
                        outbox.stats()), "1.2.3", log);
    }

    private static JsonObject valid(JsonObject response) {
        MqttContractSchemas.assertValid("cmd-response.json", Payloads.text(response));
        return response;
    }

    @Test
    void aContributedCommandGetsTheParsedArgumentsAndItsResultIsTheResponse() {
        ScriptedCommand command = new ScriptedCommand();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("meter", "d1");
        result.put("threshold", 1500L);
        result.put("balance", new BigDecimal("10.25"));
        result.put("note", null);
        result.put("steps", List.of("written", "read back"));
        command.answer = () -> CommandResult.success(result);
        Downlink downlink = withContributed(command);

        JsonObject r = valid(downlink.command("set-something", ("{\"schema\":\"cmd/v1\",\"msgId\":\"q-9\","
                + "\"meter\":\"d1\",\"threshold\":1500,\"flags\":{\"dry\":false},\"ids\":[1,\"a\"]}")
                .getBytes(StandardCharsets.UTF_8)));

        CommandRequest request = command.requests.get(0);
        assertThat(request.command()).isEqualTo("set-something");
        assertThat(request.msgId()).isEqualTo("q-9");
        assertThat(request.arguments()).containsOnlyKeys("meter", "threshold", "flags", "ids");
        assertThat(request.text("meter")).contains("d1");
        assertThat(request.number("threshold")).contains(new BigDecimal("1500"));
        assertThat(request.argument("flags")).isEqualTo(Map.of("dry", false));
        assertThat(request.argument("ids")).isEqualTo(List.of(new BigDecimal("1"), "a"));

        assertThat(r.get("ok").getAsBoolean()).isTrue();
        assertThat(r.get("command").getAsString()).isEqualTo("set-something");
        assertThat(r.get("requestMsgId").getAsString()).isEqualTo("q-9");
        JsonObject body = r.getAsJsonObject("result");
        assertThat(body.keySet()).containsExactly("meter", "threshold", "balance", "note", "steps");
        assertThat(body.get("threshold").getAsLong()).isEqualTo(1500);
        assertThat(body.get("balance").getAsBigDecimal()).isEqualByComparingTo("10.25");
        assertThat(body.get("note").isJsonNull()).isTrue();
        assertThat(body.getAsJsonArray("steps").get(1).getAsString()).isEqualTo("read back");
    }

    @Test
    void aContributedFailureIsAnsweredWithItsCodeAndMessage() {
        ScriptedCommand command = new ScriptedCommand();
        command.answer = () -> CommandResult.failure("unknown-meter", "meter d9 is not a DLMS meter of this gateway");

        JsonObject r = valid(withContributed(command).command("set-something", "{\"msgId\":\"q-1\"}"
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(errorCode(r)).isEqualTo("unknown-meter");
        assertThat(r.getAsJsonObject("error").get("message").getAsString())
                .isEqualTo("meter d9 is not a DLMS meter of this gateway");
        assertThat(r.get("requestMsgId").getAsString()).isEqualTo("q-1");
    }

    @Test
    void aContributedCommandThatThrowsOrAnswersNothingIsAnInternalErrorAndLogged() {
        ScriptedCommand command = new ScriptedCommand();
        command.answer = () -> {
            throw new IllegalStateException("register map not loaded");
        };
        Downlink downlink = withContributed(command);
        JsonObject thrown = valid(downlink.command("set-something", null));
        assertThat(errorCode(thrown)).isEqualTo("internal-error");
        assertThat(thrown.getAsJsonObject("error").get("message").getAsString()).contains("register map not loaded");
        assertThat(log.contains("ERROR", "command set-something failed unexpectedly")).isTrue();

        command.answer = () -> null;
        assertThat(errorCode(valid(downlink.command("set-something", null)))).isEqualTo("internal-error");
        assertThat(log.contains("ERROR", "handler returned null")).isTrue();
    }

    @Test
    void malformedRequestsNeverReachAContributedCommand() {
        ScriptedCommand command = new ScriptedCommand();
        command.answer = () -> CommandResult.success(Map.of());
        Downlink downlink = withContributed(command);

        assertThat(errorCode(valid(downlink.command("set-something", "{\"meter\":".getBytes(StandardCharsets.UTF_8)))))
                .isEqualTo("malformed-request");
        assertThat(errorCode(valid(downlink.command("set-something", "42".getBytes(StandardCharsets.UTF_8)))))
                .isEqualTo("malformed-request");
        assertThat(command.requests).isEmpty();
    }

    private static String errorCode(JsonObject r) {
        assertThat(r.get("ok").getAsBoolean()).isFalse();
        return r.getAsJsonObject("error").get("code").getAsString();
    }
}
