// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headendsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.headendsim.EmbeddedBroker;
import org.metergate.headendsim.Pki;
import org.metergate.headendsim.TestClients;
import org.metergate.headendsim.TestCreditGateway;
import org.metergate.headendsim.credit.TokenSigningKey;

import picocli.CommandLine;

@Timeout(value = 40, unit = TimeUnit.SECONDS)
class HeadendCliTest {

    @TempDir
    Path dir;

    /** Runs a one-shot subcommand; returns exit code and output. */
    private static String[] execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = HeadendCli.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    private static void awaitText(Supplier<String> text, String expected) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!text.get().contains(expected)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("output never contained '" + expected + "':\n" + text.get());
            }
            Thread.sleep(20); // polling the output, not an assertion
        }
    }

    @Test
    void runPrintsWhatArrivesAndTheOneShotCommandsTalkToTheGateway() throws Exception {
        int port = EmbeddedBroker.freePort();
        Path pkiDir = dir.resolve("pki");
        StringWriter runOut = new StringWriter();
        CommandLine run = HeadendCli.commandLine();
        run.setOut(new PrintWriter(runOut, true));
        RunCommand runCommand = run.getSubcommands().get("run").getCommand();
        Thread runner = new Thread(() -> run.execute("run", "--port", String.valueOf(port), "--pki-dir",
                pkiDir.toString(), "--gateway", "gw-cli"), "cli-run");
        runner.start();
        try {
            awaitText(() -> runOut.toString(), "broker listening on ssl://127.0.0.1:" + port);
            assertThat(runOut.toString()).contains("gateway gw-cli: PKCS12 identity", "gw-cli.p12", "ca.pem");

            Pki pki = Pki.open(pkiDir);
            try (var gw = TestClients.answeringGateway("ssl://127.0.0.1:" + port,
                    pki.sslContext(pki.identityFor("gw-cli")), "gw-cli")) {
                gw.publishText("mg/v1/gw-cli/status", "{\"schema\":\"status/v1\",\"msgId\":\"s1\",\"state\":\"online\","
                        + "\"version\":\"0.1.0\",\"meters\":[{\"meter\":\"m1\",\"state\":\"online\"}]}", true);
                gw.publishText("mg/v1/gw-cli/readings", "{\"schema\":\"readings/v1\",\"msgId\":\"b1\",\"readings\":[{"
                        + "\"id\":\"r1\",\"meter\":\"m1\",\"obis\":\"1-0:1.8.0*255\",\"value\":123456,\"scaler\":-2,"
                        + "\"unit\":\"kWh\",\"ts\":\"2026-01-01T00:00:00Z\",\"status\":\"ok\"}]}", false);
                awaitText(() -> runOut.toString(), "reading m1 1-0:1.8.0*255 = 1234.56 kWh");
                assertThat(runOut.toString()).contains("gw-cli status online, version 0.1.0, meters: m1 (online)");

                String[] status = execute("status", "--port", String.valueOf(port), "--pki-dir", pkiDir.toString(),
                        "--gateway", "gw-cli", "--timeout", "10");
                assertThat(status[0]).as(status[2]).isEqualTo("0");
                assertThat(status[1]).contains("\"command\": \"get-status\"", "\"ok\": true");

                String[] read = execute("read-now", "--port", String.valueOf(port), "--pki-dir", pkiDir.toString(),
                        "--gateway", "gw-cli", "--meter", "m1", "--timeout", "10");
                assertThat(read[0]).as(read[2]).isEqualTo("0");
                assertThat(read[1]).contains("\"meter\": \"m1\"");
            }
        } finally {
            runCommand.stop();
            runner.join(10_000);
        }
        assertThat(runner.isAlive()).isFalse();
    }

    @Test
    void payIssuesASignedTokenPushesItAndShowsItsReceiptsAndTheBalance() throws Exception {
        Path pkiDir = dir.resolve("pki");
        String[] key = execute("signing-key", "--pki-dir", pkiDir.toString());
        assertThat(key[0]).as(key[2]).isEqualTo("0");
        TokenSigningKey signing = TokenSigningKey.openOrCreate(pkiDir);
        assertThat(key[1]).contains("kid: " + signing.kid(), "headendPublicKeys=" + signing.gatewayConfigEntry(),
                "--headend-key " + signing.kid() + "=");
        assertThat(execute("signing-key", "--pki-dir", pkiDir.toString(), "--print", "kid")[1].strip())
                .isEqualTo(signing.kid());

        Pki pki = Pki.create(pkiDir);
        try (EmbeddedBroker broker = EmbeddedBroker.mutualTls(pki).build().start();
                TestCreditGateway gw = TestCreditGateway.start(broker.uri(), pki.clientContext("gw-cli"), "gw-cli",
                        signing.publicKey(), 2_500)) {
            String[] paid = execute("pay", "--port", String.valueOf(broker.port()), "--pki-dir", pkiDir.toString(),
                    "--gateway", "gw-cli", "--meter", "10000001", "--amount", "20.00", "--channel", "chat");

            assertThat(paid[0]).as(paid[1] + paid[2]).isEqualTo("0");
            assertThat(paid[1]).contains("credit 20.00 EUR for meter 10000001 (channel chat), key " + signing.kid())
                    .containsSubsequence(" accepted: credit 2000 EUR", " entered: ", " meter-result: 3 execution-ok",
                            " balance: 45.00 EUR", "credited, balance 45.00 EUR");

            String[] bad = execute("pay", "--port", String.valueOf(broker.port()), "--pki-dir", pkiDir.toString(),
                    "--gateway", "gw-cli", "--meter", "10000001", "--amount", "20.005");
            assertThat(bad[0]).isEqualTo("2");
            assertThat(bad[2]).contains("amount 20.005 has more than 2 decimals");
        }
    }

    @Test
    void runWithCustomerRulesNotifiesAndRechargesOnceWhenTheBalanceFalls() throws Exception {
        int port = EmbeddedBroker.freePort();
        Path pkiDir = dir.resolve("pki");
        TokenSigningKey signing = TokenSigningKey.openOrCreate(pkiDir);
        Path customers = dir.resolve("customers.properties");
        java.nio.file.Files.writeString(customers, "customer.alice.meter=d1\ncustomer.alice.gateway=gw-auto\n"
                + "customer.alice.tokenMeter=10000001\ncustomer.alice.notifyBelow=5.00,2.00\n"
                + "customer.alice.autoRechargeBelow=3.00\ncustomer.alice.autoRechargeAmount=20.00\n");
        StringWriter runOut = new StringWriter();
        CommandLine run = HeadendCli.commandLine();
        run.setOut(new PrintWriter(runOut, true));
        RunCommand runCommand = run.getSubcommands().get("run").getCommand();
        Thread runner = new Thread(() -> run.execute("run", "--port", String.valueOf(port), "--pki-dir",
                pkiDir.toString(), "--customers", customers.toString()), "cli-run");
        runner.start();
        try {
            awaitText(() -> runOut.toString(), "broker listening on");
            assertThat(runOut.toString()).contains("credit tokens signed with key " + signing.kid(),
                    "customer alice: meter d1 on gw-auto (tokens name it 10000001), notify below 5.00, 2.00 EUR,"
                            + " auto-recharge 20.00 EUR below 3.00");
            Pki pki = Pki.open(pkiDir);
            try (TestCreditGateway gw = TestCreditGateway.start("ssl://127.0.0.1:" + port,
                    pki.sslContext(pki.identityFor("gw-auto")), "gw-auto", signing.publicKey(), 250)) {
                gw.reading("b1", "d1", 600);
                gw.reading("b2", "d1", 250);
                awaitText(() -> runOut.toString(), "balance: 22.50 EUR");
                String out = runOut.toString();
                assertThat(out).containsSubsequence(
                        "notify customer alice: meter d1 balance 2.50 EUR is below 5.00 EUR",
                        "auto-recharge for customer alice: meter d1 balance 2.50 EUR is below 3.00 EUR; token he-",
                        "credit 20.00 EUR for meter 10000001 (channel auto-recharge)", "accepted: credit 2000 EUR",
                        "meter-result: 3 execution-ok", "balance: 22.50 EUR");
                // a late reading from before the top-up starts nothing
                gw.reading("b3", "d1", 240);
                awaitText(() -> runOut.toString(), "0-0:19.0.0*255 = 2.4 EUR");
                assertThat(runOut.toString().split("auto-recharge for customer", -1)).hasSize(2);
            }
        } finally {
            runCommand.stop();
            runner.join(10_000);
        }
        assertThat(runner.isAlive()).isFalse();
    }

    @Test
    void oneShotCommandWithoutPkiSaysHowToCreateOne() {
        String[] r = execute("status", "--port", "1", "--pki-dir", dir.resolve("none").toString(), "--gateway", "gw1");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("no PKI in", "--pki-dir");
    }

    @Test
    void badGatewayIdIsRefusedClearly() throws Exception {
        Pki.create(dir);
        String[] r = execute("run", "--port", "0", "--pki-dir", dir.toString(), "--gateway", "gw/1");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("'gw/1' is not allowed");
    }
}
