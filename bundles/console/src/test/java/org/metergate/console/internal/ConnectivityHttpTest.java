// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.uplink.LinkCheck;
import org.metergate.api.uplink.LinkCheckOutcome;
import org.metergate.api.uplink.LinkCheckReport;
import org.metergate.api.uplink.LinkCheckStage;
import org.metergate.api.uplink.LinkCheckStep;

/**
 * The connectivity page over HTTPS: login required, CSRF token required to start, progress while the check runs
 * (the page reloads itself), one check at a time, then every step with its result, time and fix. The check is held
 * in its TLS step by the test, so "running" is seen whatever the machine's speed; the real check against a broker is
 * tested in the headend bundle.
 */
@Timeout(60)
class ConnectivityHttpTest {

    @TempDir
    Path temp;

    private PinnedConsole console;
    private LinkChecks checks;

    @AfterEach
    void stop() {
        if (checks != null) {
            checks.close();
        }
        if (console != null) {
            console.close();
        }
    }

    @Test
    void runsTheCheckShowsProgressAndTheFixOfTheFailedStep() throws Exception {
        HeldCheck check = new HeldCheck();
        checks = new LinkChecks(() -> check, Clock.systemUTC());
        console = new PinnedConsole(temp, List.of(new ConnectivitySection(checks)));

        HttpResponse<String> anonymous = console.browserPinning(console.identity.serverCertificate())
                .get("/connectivity");
        assertThat(anonymous.statusCode()).isEqualTo(303);

        Browser browser = console.loggedIn();
        HttpResponse<String> page = browser.get("/connectivity");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<a href=\"/connectivity\">Connectivity</a>").contains("Run the check")
                .doesNotContain("<table class=\"checks\"");
        String csrf = Browser.hidden(page.body(), "csrf");

        assertThat(browser.post("/connectivity/start", Map.of()).statusCode()).isEqualTo(403);
        assertThat(check.runs).isZero();

        HttpResponse<String> started = browser.post("/connectivity/start", Map.of("csrf", csrf));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(303);
        assertThat(started.headers().firstValue("Location")).hasValue("/connectivity");
        assertThat(check.inTls.await(10, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> running = browser.get("/connectivity");
        assertThat(running.headers().firstValue("Refresh")).hasValue("1");
        assertThat(running.body()).contains("Check running since").contains("running…").contains("passed")
                .contains("4 ms").contains("broker.example is 192.0.2.7").contains("waiting")
                .doesNotContain("Run the check");
        HttpResponse<String> second = browser.post("/connectivity/start", Map.of("csrf", csrf));
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.body()).contains("A check is already running");

        check.release.countDown();
        HttpResponse<String> finished = awaitFinished(browser);
        assertThat(finished.headers().firstValue("Refresh")).isEmpty();
        assertThat(finished.body()).contains("The head-end link does not work")
                .contains("The broker&#39;s certificate is not signed by the CA you installed")
                .contains("Install the head-end CA chain with mg:install-cert").contains("failed")
                .contains("not run").contains("ssl://broker.example:8883").contains("Run the check again");
        assertThat(check.runs).isEqualTo(1);
    }

    @Test
    void withoutAHeadendLinkTheCheckSaysWhatToConfigure() throws Exception {
        checks = new LinkChecks(() -> null, Clock.systemUTC());
        console = new PinnedConsole(temp, List.of(new ConnectivitySection(checks)));
        Browser browser = console.loggedIn();
        String csrf = Browser.hidden(browser.get("/connectivity").body(), "csrf");

        HttpResponse<String> refused = browser.post("/connectivity/start", Map.of("csrf", csrf));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("No head-end link is configured").contains("brokerUri");
    }

    private static HttpResponse<String> awaitFinished(Browser browser) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> page = browser.get("/connectivity");
            if (!page.body().contains("Check running since")) {
                return page;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the check did not finish: " + page.body());
            }
            Thread.sleep(20);
        }
    }

    /** A check that passes DNS and TCP, then waits in TLS until released and fails it with the wrong-CA advice. */
    private static final class HeldCheck implements LinkCheck {
        final CountDownLatch inTls = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile int runs;

        @Override
        public LinkCheckReport run(Consumer<LinkCheckStep> progress) {
            runs++;
            List<LinkCheckStep> steps = new ArrayList<>();
            Consumer<LinkCheckStep> record = s -> {
                steps.add(s);
                progress.accept(s);
            };
            record.accept(new LinkCheckStep(LinkCheckStage.DNS, LinkCheckOutcome.PASSED, Duration.ofMillis(4),
                    "broker.example is 192.0.2.7", null));
            record.accept(new LinkCheckStep(LinkCheckStage.TCP, LinkCheckOutcome.PASSED, Duration.ofMillis(12),
                    "connected to 192.0.2.7 port 8883", null));
            progress.accept(new LinkCheckStep(LinkCheckStage.TLS, LinkCheckOutcome.RUNNING, Duration.ZERO,
                    "running", null));
            inTls.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the check");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            record.accept(new LinkCheckStep(LinkCheckStage.TLS, LinkCheckOutcome.FAILED, Duration.ofMillis(30),
                    "The broker's certificate is not signed by the CA you installed (PKIX path building failed).",
                    "Install the head-end CA chain with mg:install-cert."));
            record.accept(new LinkCheckStep(LinkCheckStage.MQTT, LinkCheckOutcome.SKIPPED, Duration.ZERO,
                    "Not run: an earlier step failed.", null));
            record.accept(new LinkCheckStep(LinkCheckStage.ROUND_TRIP, LinkCheckOutcome.SKIPPED, Duration.ZERO,
                    "Not run: an earlier step failed.", null));
            return new LinkCheckReport("ssl://broker.example:8883", Instant.now(), steps);
        }
    }
}
