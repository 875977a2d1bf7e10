// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.metergate.headendsim.EmbeddedBroker;
import org.metergate.headendsim.HeadendSimulator;
import org.metergate.headendsim.Observation;
import org.metergate.headendsim.OrderingViolation;
import org.metergate.headendsim.Pki;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Starts the broker and the head-end and prints what arrives until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the MQTT broker and the head-end; print readings, events, receipts and status changes.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--gateway", paramLabel = "ID", description = "Make a client identity (certificate CN = ID) for "
            + "this gateway in the PKI directory if it has none; repeatable.")
    List<String> gateways = new ArrayList<>();

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
        EmbeddedBroker broker = builder.port(connection.port).build().start();
        HeadendSimulator headend = null;
        try {
            ObservationPrinter printer = new ObservationPrinter();
            AtomicReference<HeadendSimulator> self = new AtomicReference<>();
            AtomicInteger violationsShown = new AtomicInteger();
            HeadendSimulator.Builder hb = HeadendSimulator.connectTo(broker.uri()).sharedSubscription(shared)
                    .listener(o -> print(out, printer, o, self.get(), violationsShown));
            if (pki != null) {
                hb.tls(pki.sslContext(pki.identityFor(Pki.HEADEND_CN)));
            }
            headend = hb.start();
            self.set(headend);
            out.println("broker listening on " + broker.uri() + "; head-end subscribed to mg/v1/+/#. Ctrl-C to stop.");
            out.flush();
            HeadendSimulator h = headend;
            stop = () -> {
                h.close();
                broker.close();
                stopped.countDown();
            };
            hook = new Thread(() -> {
                stop.run();
                out.println("stopped: " + h.counts() + ", duplicates dropped " + h.duplicatesDropped());
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
            AtomicInteger violationsShown) {
        printer.lines(o).forEach(out::println);
        if (headend != null) {
            List<OrderingViolation> v = headend.orderingViolations();
            for (int i = violationsShown.get(); i < v.size(); i++) {
                out.println("ORDER VIOLATION " + v.get(i));
            }
            violationsShown.set(v.size());
        }
        out.flush();
    }
}
