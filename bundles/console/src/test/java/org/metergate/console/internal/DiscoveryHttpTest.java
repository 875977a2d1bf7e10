// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.PortInfo;
import org.metergate.dlms.embedded.DlmsDrivers;
import org.metergate.iec62056.embedded.Iec21Drivers;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.SimulatedMeter;

/**
 * The ports and discovery page over HTTPS with a real HTTP client: discovery of simulated meters on a pty and a serial
 * server with a port where nothing is attached, progress while it runs, other pages served meanwhile, one proposal
 * accepted into ConfigAdmin, and the same findings in the shell.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiscoveryHttpTest {

    private static final String PASSWORD = "meter-room-42";

    @TempDir
    Path temp;

    private ConsoleServer console;
    private Discovery discovery;
    private MeterFleet fleet;
    private SilentPty empty;
    private final InMemoryConfigurationAdmin configAdmin = new InMemoryConfigurationAdmin();

    @AfterEach
    void stop() throws Exception {
        if (console != null) {
            console.close();
        }
        if (discovery != null) {
            discovery.close();
        }
        if (empty != null) {
            empty.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void discoversShowsProgressAndAcceptsAProposal() throws Exception {
        assumeThat(SilentPty.supported()).as("socat installed").isTrue();
        fleet = MeterFleet.builder().wireSpeed(false).ptyDirectory(temp.resolve("pty"))
                .add(SimulatedMeter.builder("m1").serialNumber("11111111").reactionTime(Duration.ofMillis(20)).build(), 0)
                .add(SimulatedMeter.builder("m2").serialNumber("22222222").reactionTime(Duration.ofMillis(20)).build(), 0)
                .start();
        empty = new SilentPty(temp.resolve("empty"));
        Path m1Pty = fleet.ptyPath("m1").orElseThrow();
        ListedPorts links = new ListedPorts(List.of(new PortInfo(m1Pty.toString(), "USB optical probe", false),
                new PortInfo(empty.path.toString(), "RS-485 adapter", false)));
        links.hold(LinkAddress.serial(empty.path.toString()));
        discovery = new Discovery(() -> links, () -> List.of(Iec21Drivers.probe(links), DlmsDrivers.probe()), Map::of,
                new MeterConfigurations(() -> configAdmin.admin), DiscoveryTest.ANSWER,
                Discovery.probeLimitFor(DiscoveryTest.ANSWER), Clock.systemUTC(), line -> { });
        console = new ConsoleServer(temp, false, () -> new GatewayStatus(console.clock.instant(),
                ConsoleServer.GATEWAY_ID, "0.1.0", Duration.ofHours(3), StatusCollector.LINK_NOT_REPORTED, null,
                List.of(), Map.of(), List.of()), List.of(new DiscoverySection(() -> discovery, links::listPorts)));

        HttpResponse<String> anonymous = console.browser().get("/discovery");
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location")).hasValue("/setup");

        Browser browser = loggedIn();
        HttpResponse<String> page = browser.get("/discovery");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<a href=\"/discovery\">Ports and discovery</a>")
                .contains(m1Pty.toString()).contains("USB optical probe").contains(empty.path.toString())
                .contains("Start discovery").doesNotContain("Findings");
        String csrf = Browser.hidden(page.body(), "csrf");

        assertThat(browser.post("/discovery/start", Map.of("servers", "")).statusCode()).isEqualTo(403);
        HttpResponse<String> typo = browser.post("/discovery/start", Map.of("csrf", csrf, "servers", "gateway-7"));
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(typo.body()).contains("link address &#39;gateway-7&#39; is neither a serial device path")
                .contains(">gateway-7</textarea>");
        assertThat(discovery.progress().started()).isNull();

        String server = "127.0.0.1:" + fleet.tcpPort("m2");
        HttpResponse<String> started = browser.post("/discovery/start", Map.of("csrf", csrf, "servers", server));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(303);
        assertThat(started.headers().firstValue("Location")).hasValue("/discovery");

        // held on the empty port: running, whatever the machine's speed
        HttpResponse<String> running = browser.get("/discovery");
        assertThat(running.headers().firstValue("Refresh")).hasValue("2");
        assertThat(running.body()).contains("Discovery running").contains("<progress max=\"3\"")
                .contains("links done").contains("Now probing").doesNotContain("Start discovery");
        assertThat(browser.get("/meters").statusCode()).isEqualTo(200);
        HttpResponse<String> second = browser.post("/discovery/start", Map.of("csrf", csrf, "servers", ""));
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.body()).contains("A discovery is already running");
        links.release();

        HttpResponse<String> finished = awaitFinished(browser);
        assertThat(finished.headers().firstValue("Refresh")).isEmpty();
        assertThat(finished.body()).contains("2 meters found on 3 links.")
                .contains("no meter answered (tried IEC 62056-21 and DLMS/COSEM)")
                .contains("MGS5MGSIM11111111").contains("MGS5MGSIM22222222").contains("Start discovery");

        String number = findingNumber(finished.body(), "tcp://" + server);
        HttpResponse<String> accepted = browser.post("/discovery/accept", Map.of("csrf", csrf, "finding", number));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(303);
        String meterId = discovery.progress().findings().get(Integer.parseInt(number) - 1).acceptedAs();
        assertThat(meterId).contains("22222222");
        InMemoryConfigurationAdmin.Stored stored = configAdmin.get("org.metergate.iec62056.meter~" + meterId);
        assertThat(stored.properties).containsEntry("meterId", meterId).containsEntry("link", "tcp://" + server)
                .containsEntry("initialBaud", 300).containsEntry("service.factoryPid", "org.metergate.iec62056.meter");
        assertThat(browser.get("/discovery").body()).contains("Accepted as meter " + meterId);

        HttpResponse<String> again = browser.post("/discovery/accept", Map.of("csrf", csrf, "finding", number));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("Not configured: finding " + number + " was already accepted");
        assertThat(browser.post("/discovery/accept", Map.of("csrf", csrf, "finding", "x")).statusCode())
                .isEqualTo(400);

        // the shell shows the same discovery
        String shell = DiscoveryShell.show(discovery.progress());
        assertThat(shell).startsWith("Discovery finished at ").contains("[accepted as meter " + meterId + "]")
                .contains("[mg:accept 1]").contains(empty.path + "  no meter answered");
        assertThat(DiscoveryShell.accept(discovery, "2")).startsWith("Not configured: finding 2 (" + empty.path
                + ") has no meter to accept");
        assertThat(DiscoveryShell.accept(discovery)).startsWith("usage: mg:accept <n>");
        assertThat(DiscoveryShell.start(discovery, "not-an-address")).startsWith("usage: mg:discover");
    }

    private Browser loggedIn() throws Exception {
        Browser browser = console.browser();
        String form = Browser.hidden(browser.get("/setup").body(), "form");
        HttpResponse<String> done = browser.post("/setup",
                Map.of("form", form, "code", console.setupCode(), "password", PASSWORD, "confirm", PASSWORD));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
        return browser;
    }

    private static HttpResponse<String> awaitFinished(Browser browser) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            HttpResponse<String> page = browser.get("/discovery");
            assertThat(page.statusCode()).isEqualTo(200);
            if (!page.body().contains("Discovery running")) {
                return page;
            }
            assertThat(System.nanoTime()).as("discovery still running").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** The finding number in the accept form of the row for {@code link}. */
    private static String findingNumber(String html, String link) {
        Matcher row = Pattern.compile("<tr><td>(\\d+)</td><td>" + Pattern.quote(link) + "</td>").matcher(html);
        assertThat(row.find()).as("a findings row for " + link).isTrue();
        return row.group(1);
    }
}
