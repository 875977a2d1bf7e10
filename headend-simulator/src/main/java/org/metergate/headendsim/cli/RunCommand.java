// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.paho.mqttv5.common.MqttException;
import org.metergate.headendsim.EmbeddedBroker;
import org.metergate.headendsim.HeadendSimulator;
import org.metergate.headendsim.Observation;
import org.metergate.headendsim.OrderingViolation;
import org.metergate.headendsim.Pki;
import org.metergate.headendsim.credit.BalanceWatcher;
import org.metergate.headendsim.credit.CreditTokenIssuer;
import org.metergate.headendsim.credit.CustomerRule;
import org.metergate.headendsim.credit.CustomerRules;
import org.metergate.headendsim.credit.Money;
import org.metergate.headendsim.credit.TokenSigningKey;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Starts the broker and the head-end and prints what arrives until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the MQTT broker and the head-end; print readings, events, receipts and status changes.")
final class RunCommand implements Callable<Integer> {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--gateway", paramLabel = "ID", description = "Make a client identity (certificate CN = ID) for "
            + "this gateway in the PKI directory if it has none; repeatable.")
    List<String> gateways = new ArrayList<>();

    @Option(names = "--customers", paramLabel = "FILE", description = "Customer rules (properties): low-balance "
            + "notification levels and auto-recharge per meter; see docs/headend-simulator.md.")
    Path customers;

    @Option(names = "--balance-obis", defaultValue = BalanceWatcher.DEFAULT_BALANCE_OBIS, paramLabel = "OBIS",
            description = "The reading that carries a meter's available credit (default: ${DEFAULT-VALUE}).")
    String balanceObis;

    @Option(names = "--valid-hours", defaultValue = "24", paramLabel = "H",
            description = "Lifetime of automatic top-up tokens (default: ${DEFAULT-VALUE}).")
    int validHours;

    @Option(names = "--readings", defaultValue = "each", paramLabel = "each|summary",
            description = "Print each reading (default), or one line per meter and batch with its energy and "
                    + "credit registers.")
    String readings;

    @Option(names = "--shared", description = "Subscribe as the shared subscription $share/headend/... (several "
            + "head-ends split the load).")
    boolean shared;

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Runnable stop = () -> { };
    private volatile Thread hook;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<CustomerRule> rules = customers == null ? List.of() : CustomerRules.read(customers);
        if (validHours < 1) {
            throw new IllegalArgumentException("--valid-hours must be 1 or more, got " + validHours);
        }
        if (!"each".equals(readings) && !"summary".equals(readings)) {
            throw new IllegalArgumentException("--readings takes each or summary, got '" + readings + "'");
        }
        TokenSigningKey signingKey = TokenSigningKey.openOrCreate(connection.pkiDir);
        BalanceWatcher watcher = new BalanceWatcher(rules, new CreditTokenIssuer(signingKey, Clock.systemUTC(),
                Duration.ofHours(validHours)), Clock.systemUTC(), balanceObis);
        Pki pki = null;
        EmbeddedBroker.Builder builder;
        if (connection.insecurePlaintext) {
            out.println("WARNING: plaintext MQTT without authentication or topic authorization (--insecure-plaintext)");
            builder = EmbeddedBroker.insecurePlaintext();
        } else {
            pki = Pki.openOrCreate(connection.pkiDir);
            builder = EmbeddedBroker.mutualTls(pki);
            describePki(out, pki);
        }
        out.println("credit tokens signed with key " + signingKey.kid() + " (public key: "
                + signingKey.publicKeyFile().toAbsolutePath() + ")");
        for (CustomerRule r : rules) {
            out.println("  customer " + r.customer() + ": " + describe(r));
        }
        EmbeddedBroker broker = builder.port(connection.port).build().start();
        HeadendSimulator headend = null;
        try {
            ObservationPrinter printer = "summary".equals(readings)
                    ? new ObservationPrinter(List.of("1-0:1.8.0*255", balanceObis)) : new ObservationPrinter();
            AtomicReference<HeadendSimulator> self = new AtomicReference<>();
            AtomicInteger violationsShown = new AtomicInteger();
            // automatic top-ups are sent from their own thread: no waiting on the MQTT thread
            ExecutorService sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "auto-recharge"));
            HeadendSimulator.Builder hb = HeadendSimulator.connectTo(broker.uri()).sharedSubscription(shared)
                    .listener(o -> {
                        print(out, printer, o, self.get(), violationsShown, "summary".equals(readings));
                        act(out, watcher, watcher.observe(o), self, sender);
                    });
            if (pki != null) {
                hb.tls(pki.sslContext(pki.identityFor(Pki.HEADEND_CN)));
            }
            headend = hb.start();
            self.set(headend);
            out.println("broker listening on " + broker.uri() + "; head-end subscribed to mg/v1/+/#. Ctrl-C to stop.");
            out.flush();
            HeadendSimulator h = headend;
            stop = () -> {
                sender.shutdownNow();
                h.close();
                broker.close();
                stopped.countDown();
            };
            hook = new Thread(() -> {
                stop.run();
                out.println("stopped: " + h.counts() + ", duplicates dropped " + h.duplicatesDropped()
                        + ", payloads rejected " + h.rejected().size());
                out.flush();
            }, "headend-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            stopped.await();
            return 0;
        } catch (Exception | Error e) {
            if (headend != null) {
                headend.close();
            }
            broker.close();
            throw e;
        }
    }

    /** Stops a running {@code run} (tests; Ctrl-C does the same through the shutdown hook). */
    void stop() {
        Thread h = hook;
        if (h != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
        stop.run();
    }

    private static String describe(CustomerRule r) {
        StringBuilder b = new StringBuilder("meter " + r.meter());
        if (r.gateway() != null) {
            b.append(" on ").append(r.gateway());
        }
        if (!r.tokenMeter().equals(r.meter())) {
            b.append(" (tokens name it ").append(r.tokenMeter()).append(')');
        }
        if (!r.notifyBelowMinor().isEmpty()) {
            b.append(", notify below ").append(String.join(", ", r.notifyBelowMinor().stream()
                    .map(m -> Money.format(m, r.currency())).toList())).append(' ').append(r.currency());
        }
        if (r.autoRecharge()) {
            b.append(", auto-recharge ").append(Money.format(r.rechargeAmountMinor(), r.currency())).append(' ')
                    .append(r.currency()).append(" below ").append(Money.format(r.rechargeBelowMinor(), r.currency()));
        }
        return b.toString();
    }

    private static void act(PrintWriter out, BalanceWatcher watcher, List<BalanceWatcher.Action> actions,
            AtomicReference<HeadendSimulator> self, ExecutorService sender) {
        for (BalanceWatcher.Action a : actions) {
            out.println(CLOCK.format(Instant.now()) + " " + a.describe());
            if (a instanceof BalanceWatcher.AutoRecharge recharge) {
                sender.execute(() -> {
                    try {
                        HeadendSimulator headend = self.get();
                        if (headend == null) {
                            throw new IllegalStateException("the head-end is still starting");
                        }
                        headend.sendToken(recharge.gateway(), recharge.token().compact(), Duration.ofSeconds(15));
                    } catch (MqttException | RuntimeException e) {
                        watcher.notSent(recharge.token().id());
                        synchronized (out) {
                            out.println("auto-recharge token " + recharge.token().id() + " could not be sent to "
                                    + recharge.gateway() + ": " + e.getMessage() + "; it is not retried, pay by hand");
                            out.flush();
                        }
                    }
                });
            }
        }
        out.flush();
    }

    private void describePki(PrintWriter out, Pki pki) throws Exception {
        out.println("PKI in " + pki.dir().toAbsolutePath() + " (key store password in "
                + pki.dir().resolve("store-password").toAbsolutePath() + ")");
        out.println("  CA certificate (trust this on the gateway): " + pki.caPem().toAbsolutePath() + ", "
                + pki.truststore().toAbsolutePath());
        for (String gw : gateways) {
            Pki.Identity id = pki.identityFor(gw);
            out.println("  gateway " + gw + ": PKCS12 identity " + id.keystore().toAbsolutePath() + " (PEM: "
                    + id.certificatePem().getFileName() + ", " + id.privateKeyPem().getFileName() + "), valid until "
                    + id.certificate().getNotAfter().toInstant());
        }
        out.flush();
    }

    private static void print(PrintWriter out, ObservationPrinter printer, Observation o, HeadendSimulator headend,
            AtomicInteger violationsShown, boolean summary) {
        printer.lines(o).forEach(out::println);
        if (headend != null) {
            List<OrderingViolation> v = headend.orderingViolations();
            int from = violationsShown.get();
            // in summary, a batch's violations are one line, like its readings
            int shown = summary ? Math.min(v.size(), from + 1) : v.size();
            for (int i = from; i < shown; i++) {
                out.println("ORDER VIOLATION " + v.get(i));
            }
            if (v.size() > shown) {
                out.println("ORDER VIOLATION ... and " + (v.size() - shown) + " more in this message");
            }
            violationsShown.set(v.size());
        }
        out.flush();
    }
}
