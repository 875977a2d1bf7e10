// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metergate.headend.LinkFixture.eventually;
import static org.metergate.headend.LinkFixture.settings;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.uplink.LinkCheckOutcome;
import org.metergate.api.uplink.LinkCheckReport;
import org.metergate.api.uplink.LinkCheckStage;
import org.metergate.api.uplink.LinkCheckStep;

/** The connectivity check against the embedded Artemis broker with mutual TLS, and its failures step by step. */
@Timeout(120)
class LinkCheckerTest {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static TestBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        pki = new TestPki(Files.createDirectories(dir.resolve("pki")));
        broker = new TestBroker(pki, false).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void everyStepPassesWhileTheGatewaysLinkAnswers() throws Exception {
        TestIdentity identity = new TestIdentity("gw-check", pki.client("gw-check"));
        HeadendSettings settings = settings(broker.tlsUri(), 10, 4, false);
        HeadendLink link = LinkFixture.link(settings, identity, new MemoryOutbox(), null, null, new RecordingLog());
        link.start();
        try {
            eventually("live link connected", Duration.ofSeconds(30), () -> link.status().connected());
            List<LinkCheckStep> progress = Collections.synchronizedList(new ArrayList<>());
            LinkCheckReport report = new LinkChecker(settings, identity, link::status, STEP_TIMEOUT,
                    Clock.systemUTC()).run(progress::add);

            assertThat(report.steps()).extracting(LinkCheckStep::outcome).containsOnly(LinkCheckOutcome.PASSED);
            assertThat(report.steps()).extracting(LinkCheckStep::stage).containsExactly(LinkCheckStage.values());
            assertThat(report.passed()).isTrue();
            assertThat(report.brokerUri()).isEqualTo(broker.tlsUri());
            assertThat(step(report, LinkCheckStage.DNS).detail()).contains("127.0.0.1");
            assertThat(step(report, LinkCheckStage.TLS).detail()).contains("CN=127.0.0.1",
                    "CN=Metergate test head-end CA");
            assertThat(step(report, LinkCheckStage.ROUND_TRIP).detail()).contains("answer came back");
            // each step is announced as running, then reported with its outcome
            assertThat(progress).filteredOn(s -> s.outcome() == LinkCheckOutcome.RUNNING).hasSize(5);
            assertThat(progress).filteredOn(s -> s.outcome() == LinkCheckOutcome.PASSED).hasSize(5);
            assertThat(LinkCheckCommands.format(report)).contains("PASS  Find the broker (DNS)",
                    "Result: the head-end link works.");
            // the check's own session did not disturb the live link
            assertThat(link.status().connected()).isTrue();
        } finally {
            link.close();
        }
    }

    @Test
    void aBrokerCertifiedByAnotherCaFailsAtTlsWithTheFix() throws Exception {
        TestPki otherHeadend = new TestPki(Files.createDirectories(dir.resolve("other")));
        TestIdentity identity = new TestIdentity("gw-check", otherHeadend.client("gw-check"));
        LinkCheckReport report = check(settings(broker.tlsUri(), 10, 4, false), identity);

        assertThat(outcomes(report)).containsExactly(LinkCheckOutcome.PASSED, LinkCheckOutcome.PASSED,
                LinkCheckOutcome.FAILED, LinkCheckOutcome.SKIPPED, LinkCheckOutcome.SKIPPED);
        LinkCheckStep tls = step(report, LinkCheckStage.TLS);
        assertThat(tls.detail()).startsWith("The broker's certificate is not signed by the CA you installed");
        assertThat(tls.fix()).contains("Install the head-end CA chain with mg:install-cert");
        assertThat(report.passed()).isFalse();
        assertThat(LinkCheckCommands.format(report)).contains("FAIL", "Fix: Install the head-end CA chain",
                "does not work");
    }

    @Test
    void aDeviceCertificateTheBrokerDoesNotTrustFailsAtTls() throws Exception {
        TestIdentity identity = new TestIdentity("gw-check", pki.foreignClient("gw-check"));
        LinkCheckReport report = check(settings(broker.tlsUri(), 10, 4, false), identity);

        LinkCheckStep tls = step(report, LinkCheckStage.TLS);
        assertThat(tls.outcome()).isEqualTo(LinkCheckOutcome.FAILED);
        assertThat(tls.detail()).containsAnyOf("does not accept the gateway's certificate",
                "closed the connection");
        assertThat(step(report, LinkCheckStage.MQTT).outcome()).isEqualTo(LinkCheckOutcome.SKIPPED);
    }

    @Test
    void anUncommissionedGatewayIsToldToInstallItsCertificate() throws Exception {
        LinkCheckReport report = check(settings(broker.tlsUri(), 10, 4, false), new TestIdentity("gw-check", null));

        LinkCheckStep tls = step(report, LinkCheckStage.TLS);
        assertThat(tls.outcome()).isEqualTo(LinkCheckOutcome.FAILED);
        assertThat(tls.fix()).contains("mg:csr", "mg:install-cert");
    }

    @Test
    void anUnknownHostFailsAtDns() throws Exception {
        LinkCheckReport report = check(settings("ssl://no-such-broker.invalid:8883", 10, 4, false),
                new TestIdentity("gw-check", pki.client("gw-check")));

        assertThat(outcomes(report)).containsExactly(LinkCheckOutcome.FAILED, LinkCheckOutcome.SKIPPED,
                LinkCheckOutcome.SKIPPED, LinkCheckOutcome.SKIPPED, LinkCheckOutcome.SKIPPED);
        assertThat(step(report, LinkCheckStage.DNS).detail()).contains("no-such-broker.invalid");
        assertThat(step(report, LinkCheckStage.DNS).fix()).contains("brokerUri", "DNS");
    }

    @Test
    void aClosedPortFailsAtTcp() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        LinkCheckReport report = check(settings("ssl://127.0.0.1:" + closed, 10, 4, false),
                new TestIdentity("gw-check", pki.client("gw-check")));

        assertThat(outcomes(report)).containsExactly(LinkCheckOutcome.PASSED, LinkCheckOutcome.FAILED,
                LinkCheckOutcome.SKIPPED, LinkCheckOutcome.SKIPPED, LinkCheckOutcome.SKIPPED);
        assertThat(step(report, LinkCheckStage.TCP).detail()).startsWith("Nothing accepts connections on 127.0.0.1 port "
                + closed);
        assertThat(step(report, LinkCheckStage.TCP).fix()).contains("port in brokerUri");
    }

    @Test
    void withoutTheGatewaysLinkTheRoundTripFailsAndSaysWhy() throws Exception {
        LinkStatus down = new LinkStatus("gw-quiet", broker.tlsUri(), LinkState.WAITING_TO_RECONNECT, null, null, 0,
                "broker refused the gateway", null, null);
        TestIdentity identity = new TestIdentity("gw-quiet", pki.client("gw-quiet"));
        LinkCheckReport report = new LinkChecker(settings(broker.tlsUri(), 10, 4, false), identity, () -> down,
                Duration.ofSeconds(2), Clock.systemUTC()).run(s -> { });

        assertThat(outcomes(report)).containsExactly(LinkCheckOutcome.PASSED, LinkCheckOutcome.PASSED,
                LinkCheckOutcome.PASSED, LinkCheckOutcome.PASSED, LinkCheckOutcome.FAILED);
        assertThat(step(report, LinkCheckStage.ROUND_TRIP).detail()).contains("waiting to reconnect",
                "broker refused the gateway");
    }

    @Test
    void aWrongConfigurationFailsFirstAndNamesTheProblem() {
        LinkCheckReport report = LinkChecker.misconfigured("tcp://broker:1883", "brokerUri tcp://broker:1883 is "
                + "plaintext", Clock.systemUTC(), s -> { });
        assertThat(outcomes(report)).containsExactly(LinkCheckOutcome.FAILED, LinkCheckOutcome.SKIPPED,
                LinkCheckOutcome.SKIPPED, LinkCheckOutcome.SKIPPED, LinkCheckOutcome.SKIPPED);
        assertThat(report.steps().get(0).detail()).contains("is plaintext");
    }

    private static LinkCheckReport check(HeadendSettings settings, TestIdentity identity) {
        return new LinkChecker(settings, identity, () -> null, STEP_TIMEOUT, Clock.systemUTC()).run(s -> { });
    }

    private static List<LinkCheckOutcome> outcomes(LinkCheckReport report) {
        return report.steps().stream().map(LinkCheckStep::outcome).toList();
    }

    private static LinkCheckStep step(LinkCheckReport report, LinkCheckStage stage) {
        return report.steps().stream().filter(s -> s.stage() == stage).findFirst().orElseThrow();
    }
}
