// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.prepay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.command.CommandRequest;
import org.metergate.api.command.CommandResult;
import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.credit.ReceiptStage;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.ledger.TokenState;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.Retention;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsMeterConfig;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.JwsTokenVerifier;
import org.metergate.simulator.dlms.SimClock;
import org.metergate.store.embedded.EmbeddedStore;
import org.metergate.store.embedded.Stores;

import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Low credit against the DLMS simulator, over the store's SQLite outbox and meter state: the head-end command
 * writes the threshold to the meter's Account object; the meter's low-credit, credit-exhausted, disconnect and
 * reconnect events reach the outbox once each, as documented in docs/mqtt-contract; a top-up of the
 * disconnected meter reconnects it and its reconnection follows.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LowCreditAgainstSimulatorTest {

    private static final String CONTRACT = "https://metergate.org/mqtt/v1/";
    private static final Path SCHEMAS = Path.of(System.getProperty("basedir", "."))
            .resolve("../../docs/mqtt-contract/schemas").normalize();
    private static final SchemaRegistry SCHEMA_REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, b -> b.schemas(iri -> {
                try {
                    return iri.startsWith(CONTRACT) ? Files.readString(SCHEMAS.resolve(iri.substring(CONTRACT.length())))
                            : null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));

    @TempDir
    Path dataDir;
    @TempDir
    Path dbDir;
    @TempDir
    Path stateDir;

    private final TestTokens tokens = new TestTokens();
    private final SimClock simClock = SimClock.frozenAt(Instant.parse("2026-03-02T10:07:00Z"));
    private DlmsSimulator sim;
    private DlmsMeter meter;
    private CosemMeter driver;
    private EmbeddedStore store;
    private ScheduledExecutorService worker;

    @AfterEach
    void stop() throws Exception {
        if (worker != null) {
            worker.shutdownNow();
            worker.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (store != null) {
            store.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private void start(UnaryOperator<DlmsMeterConfig.Builder> more) throws Exception {
        sim = DlmsSimulator.builder().count(1).seed(21).stateDir(stateDir).clock(simClock)
                .configure(c -> more.apply(c.currency("EUR", 2).tokenVerifier(new JwsTokenVerifier(
                        Map.of(TestTokens.KID, tokens.publicKey()), null, Clock.systemUTC(), Duration.ofMinutes(5)))))
                .start();
        meter = sim.meters().get(0);
        driver = DlmsDrivers.driver(meter, serial(), dataDir);
        store = Stores.sqlite(dbDir.resolve("metergate.db"));
        worker = Executors.newSingleThreadScheduledExecutor();
    }

    private String serial() {
        return meter.config().serial();
    }

    private MeterDirectory directory() {
        return id -> id.equals(serial()) ? Optional.of(driver) : Optional.empty();
    }

    private LowCreditThresholdCommand command() {
        return new LowCreditThresholdCommand(directory(), worker, "EUR", Duration.ofMillis(10), Duration.ofSeconds(30),
                PrepayLog.NONE);
    }

    private CreditEngine engine() {
        PrepaySettings settings = new PrepaySettings(Map.of(TestTokens.KID, tokens.publicKey()), "EUR", 50_000,
                Duration.ofMinutes(5), Map.of(), Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(10),
                Duration.ofSeconds(5));
        TokenLedger ledger = store.tokenLedger();
        CreditEngine engine = new CreditEngine(settings, ledger, new ReceiptSink(ledger, store.outbox(),
                PrepayLog.NONE), directory(), Clock.systemUTC(), worker, Thread::sleep, PrepayLog.NONE,
                new MeterEvents(() -> store.meterState(), Clock.systemUTC(), PrepayLog.NONE));
        engine.start();
        return engine;
    }

    private List<OutboxMessage> events() throws Exception {
        return store.outbox().oldest(EnumSet.of(MessageKind.EVENT), 1000);
    }

    /** A request as the head-end link hands it over: the document's members beside schema and msgId. */
    private static CommandRequest request(String json) throws Exception {
        Map<String, Object> arguments = json(json);
        arguments.remove("schema");
        String msgId = (String) arguments.remove("msgId");
        return new CommandRequest(LowCreditThresholdCommand.NAME, msgId, arguments);
    }

    private static Map<String, Object> json(String text) throws Exception {
        return JSONObjectUtils.parse(text);
    }

    /** The document as the link sends it (with msgId) against a contract schema; returns the problems. */
    private static List<String> schemaErrors(String schemaFile, String outboxPayload) throws Exception {
        Map<String, Object> doc = json(outboxPayload);
        doc.putIfAbsent("msgId", "m-1");
        return SCHEMA_REGISTRY.getSchema(SchemaLocation.of(CONTRACT + schemaFile))
                .validate(JSONObjectUtils.toJSONString(doc), InputFormat.JSON).stream()
                .map(e -> e.getInstanceLocation() + " " + e.getMessage()).toList();
    }

    @Test
    void theThresholdCommandWritesTheAccountObjectAndAnswersWithWhatTheMeterHolds() throws Exception {
        start(c -> c.initialCreditMinor(1000).lowCreditThresholdMinor(200));

        CommandResult answer = command().handle(request("{\"meter\":\"" + serial() + "\",\"threshold\":1500}"));

        assertThat(answer).as(String.valueOf(answer)).isInstanceOf(CommandResult.Success.class);
        Map<String, Object> result = ((CommandResult.Success) answer).result();
        assertThat(result).containsEntry("meter", serial()).containsEntry("threshold", 1500L)
                .containsEntry("balance", 1000L).containsEntry("currency", "EUR");
        assertThat(meter.firmware().lowCreditThresholdMinor()).isEqualTo(1500);

        // the request and the answer as the link sends it follow the published contract
        assertThat(schemaErrors("cmd-set-low-credit-threshold.json", "{\"schema\":\"cmd/v1\",\"msgId\":\"q-1\","
                + "\"meter\":\"" + serial() + "\",\"threshold\":1500}")).isEmpty();
        String response = "{\"schema\":\"cmd-response/v1\",\"msgId\":\"r-1\",\"command\":\"set-low-credit-threshold\","
                + "\"requestMsgId\":\"q-1\",\"ok\":true,\"result\":" + JSONObjectUtils.toJSONString(result) + "}";
        assertThat(schemaErrors("cmd-set-low-credit-threshold.json#/$defs/response", response)).isEmpty();
        assertThat(schemaErrors("cmd-set-low-credit-threshold.json#/$defs/response",
                response.replace("\"balance\":1000,", ""))).isNotEmpty();
    }

    @Test
    void badThresholdRequestsAreRefusedWithTheirCodeAndTheMeterKeepsItsThreshold() throws Exception {
        start(c -> c.initialCreditMinor(1000).lowCreditThresholdMinor(200));
        LowCreditThresholdCommand command = command();
        Map<String, String> requests = new java.util.LinkedHashMap<>();
        requests.put("{\"threshold\":100}", "missing-field");
        requests.put("{\"meter\":\"" + serial() + "\"}", "missing-field");
        requests.put("{\"meter\":\"" + serial() + "\",\"threshold\":-5}", "invalid-field");
        requests.put("{\"meter\":\"" + serial() + "\",\"threshold\":2.5}", "invalid-field");
        requests.put("{\"meter\":\"" + serial() + "\",\"threshold\":\"500\"}", "invalid-field");
        requests.put("{\"meter\":\"" + serial() + "\",\"threshold\":3000000000}", "invalid-field");
        requests.put("{\"meter\":\"nobody\",\"threshold\":100}", "unknown-meter");

        for (Map.Entry<String, String> r : requests.entrySet()) {
            CommandResult answer = command.handle(request(r.getKey()));
            assertThat(answer).as(r.getKey()).isInstanceOfSatisfying(CommandResult.Failure.class, f -> {
                assertThat(f.code()).as(r.getKey()).isEqualTo(r.getValue());
                assertThat(f.message()).as(r.getKey()).isNotBlank();
            });
        }

        meter.faults().noAnswer(true);
        assertThat(command.handle(request("{\"meter\":\"" + serial() + "\",\"threshold\":100}")))
                .isInstanceOfSatisfying(CommandResult.Failure.class,
                        f -> assertThat(f.code()).isEqualTo("meter-no-answer"));
        assertThat(meter.firmware().lowCreditThresholdMinor()).isEqualTo(200);
    }

    @Test
    void creditAndRelayEventsReachTheOutboxOnceAndATopUpReconnects() throws Exception {
        // remote reconnection connects at once in mode 2; the meter itself never reconnects in it
        start(c -> c.initialCreditMinor(0).lowCreditThresholdMinor(300).controlMode(2));
        CreditEngine engine = engine();
        engine.pollEvents(List.of(serial()));
        assertThat(events()).isEmpty();

        // a quarter of an hour without credit: the meter warns, runs out and opens its relay
        simClock.advance(Duration.ofMinutes(15));
        meter.firmware().advance();
        assertThat(meter.firmware().relayConnected()).isFalse();
        engine.pollEvents(List.of(serial()));
        engine.pollEvents(List.of(serial()));

        List<OutboxMessage> first = events();
        assertThat(first).extracting(m -> (String) json(m.payload()).get("type"))
                .containsExactly("low-credit", "credit-exhausted", "disconnected");
        assertThat(first).allSatisfy(m -> {
            assertThat(m.retention()).isEqualTo(Retention.ALARM);
            assertThat(m.meterId()).isEqualTo(serial());
            assertThat(schemaErrors("credit-event.json", m.payload())).as(m.payload()).isEmpty();
            assertThat(schemaErrors("events.json", m.payload())).as(m.payload()).isEmpty();
        });
        assertThat(json(first.get(2).payload())).containsEntry("eventCode", 73L)
                .containsEntry("ts", "2026-03-02T10:15:00Z");

        // the top-up reconnects the meter and its reconnection is forwarded right after the token
        Map<String, Object> claims = tokens.claims(serial(), 2000);
        String jti = (String) claims.get("jti");
        assertThat(engine.submit(tokens.sign(claims)).stage()).isEqualTo(ReceiptStage.ACCEPTED);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (events().size() < 4) {
            assertThat(System.nanoTime()).as("reconnected event").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(store.tokenLedger().find(jti).orElseThrow().state()).isEqualTo(TokenState.DONE);
        assertThat(meter.firmware().relayConnected()).isTrue();
        Map<String, Object> reconnected = json(events().get(3).payload());
        assertThat(reconnected).containsEntry("type", "reconnected").containsEntry("eventCode", 71L);
        assertThat(schemaErrors("credit-event.json", events().get(3).payload())).isEmpty();

        // a gateway restart reads nothing twice
        store.close();
        store = Stores.sqlite(dbDir.resolve("metergate.db"));
        engine().pollEvents(List.of(serial()));
        assertThat(events()).hasSize(4);
    }

    @Test
    void eventsInTheSameSecondAsTheLastForwardedOneAreNeitherRepeatedNorSkipped() throws Exception {
        // the meter's clock stands still: every event below carries the same second
        start(c -> c.initialCreditMinor(5000).controlMode(2));
        CreditEngine engine = engine();
        assertThat(meter.firmware().remoteDisconnect()).isTrue();
        engine.pollEvents(List.of(serial()));
        assertThat(events()).hasSize(1);

        assertThat(meter.firmware().remoteReconnect()).isTrue();
        assertThat(meter.firmware().remoteDisconnect()).isTrue();
        engine.pollEvents(List.of(serial()));
        engine.pollEvents(List.of(serial()));

        List<OutboxMessage> all = events();
        assertThat(all).extracting(m -> (String) json(m.payload()).get("type"))
                .containsExactly("disconnected", "reconnected", "disconnected");
        assertThat(all).extracting(m -> (Long) json(m.payload()).get("eventCode")).containsExactly(70L, 71L, 70L);
        // every entry has its own id, also the same type twice in one second
        assertThat(all).extracting(m -> (String) json(m.payload()).get("id")).doesNotHaveDuplicates();
        assertThat(all).allSatisfy(m -> assertThat(schemaErrors("credit-event.json", m.payload())).isEmpty());
    }

    @Test
    void aTopUpInAButtonModeReportsReadyForReconnectionInTheSameTransactionAsTheOutcome() throws Exception {
        start(c -> c.initialCreditMinor(500).controlMode(1));
        assertThat(meter.firmware().remoteDisconnect()).isTrue();
        CreditEngine engine = engine();
        Map<String, Object> claims = tokens.claims(serial(), 1500);
        String jti = (String) claims.get("jti");

        engine.submit(tokens.sign(claims));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (store.tokenLedger().find(jti).orElseThrow().state() != TokenState.DONE) {
            assertThat(System.nanoTime()).as("token done").isLessThan(deadline);
            Thread.sleep(10);
        }

        // the DONE state is written with its receipts: when it is visible, ready-for-reconnection is there too
        assertThat(store.tokenLedger().receipts(jti)).extracting(r -> r.receipt().stage()).containsExactly(
                ReceiptStage.ACCEPTED, ReceiptStage.ENTERED, ReceiptStage.METER_RESULT, ReceiptStage.BALANCE,
                ReceiptStage.READY_FOR_RECONNECTION);
        assertThat(meter.firmware().relayConnected()).isFalse();
        assertThat(meter.firmware().controlState()).isEqualTo(2);
    }
}
