// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.headendsim.EmbeddedBroker;
import org.metergate.headendsim.Pki;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.SimulatedMeter;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A technician's installation in a real browser: headless Chromium drives the console of the shipped gateway, with
 * two simulated IEC 62056-21 meters on pseudo-terminals and the head-end's MQTT 5 broker (mutual TLS). First visit
 * with the setup code from the gateway's data directory, log out and in, discovery over the pseudo-terminals, one
 * meter accepted and read with its plots, the gateway commissioned on the Certificates page, the connectivity check
 * passing, then failing at TLS against a broker of another CA.
 * A screenshot after each step goes to {@code target/screenshots/} (docs/technician-guide.md shows them).
 */
class ConsoleBrowserIT {

    private static final String GATEWAY = "gw-console";
    private static final String PASSWORD = "meter room 7, level -1";
    private static final Duration PAGE = Duration.ofSeconds(15);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path SCREENSHOTS = Path.of(System.getProperty("metergate.screenshots", "target/screenshots"));
    private static final Pattern CSR = Pattern.compile(
            "-----BEGIN CERTIFICATE REQUEST-----.*?-----END CERTIFICATE REQUEST-----", Pattern.DOTALL);

    @TempDir
    Path ptyDir;
    @TempDir
    Path pkiDir;
    @TempDir
    Path otherPkiDir;

    @BeforeAll
    static void browserInstalled() {
        if (!ConsoleBrowser.installed()) {
            // test.sh installs them when it runs as root (as in CI), so there a missing browser is a failure
            assumeThat(isRoot()).as("chromium and chromium-driver (%s) are not installed; the console's browser test "
                    + "needs them: apt-get install chromium chromium-driver", ConsoleBrowser.CHROMEDRIVER).isTrue();
            fail("chromium or chromedriver (" + ConsoleBrowser.CHROMEDRIVER + ") missing although running as root: "
                    + "apt-get install chromium chromium-driver");
        }
        assumeThat(MeterFleet.ptySupported()).as("socat installed (test.sh installs it)").isTrue();
    }

    @Test
    @Timeout(180)
    void technicianInstallsTheGatewayThroughTheConsole() throws Exception {
        Pki pki = Pki.create(pkiDir);
        Pki otherPki = Pki.create(otherPkiDir);
        try (MeterFleet fleet = MeterFleet.builder().wireSpeed(false).ptyDirectory(ptyDir)
                .add(SimulatedMeter.builder("m1").seed(1).reactionTime(Duration.ofMillis(20)).build(), 0)
                .add(SimulatedMeter.builder("m2").seed(2).reactionTime(Duration.ofMillis(20)).build(), 0).start();
                EmbeddedBroker broker = EmbeddedBroker.mutualTls(pki).build().start();
                EmbeddedBroker otherBroker = EmbeddedBroker.mutualTls(otherPki).build().start();
                GatewayUnderTest gateway = GatewayUnderTest.copyOfDistribution()) {
            gateway.writeConf("org.metergate.security.cfg", "gatewayId=" + GATEWAY + "\n");
            gateway.writeConf("org.metergate.headend.cfg", headendConfig(broker));
            gateway.start();
            String setupCode = awaitSetupCode(gateway);
            Path m1 = fleet.ptyPath("m1").orElseThrow();
            Path m2 = fleet.ptyPath("m2").orElseThrow();

            try (ConsoleBrowser browser = ConsoleBrowser.open("https://127.0.0.1:" + gateway.consolePort(),
                    SCREENSHOTS)) {
                firstVisit(browser, setupCode);
                setupCodeLoggedOnce(gateway, setupCode);
                logOutAndIn(browser);
                String meterId = discoverAndAccept(browser, m1, m2);
                meterShowsValues(browser, meterId, m1);
                commission(browser, gateway, pki);
                checkPasses(browser, broker);
                gateway.writeConf("org.metergate.headend.cfg", headendConfig(otherBroker));
                checkFailsAtTls(browser, otherBroker);
            }
        }
    }

    private static void firstVisit(ConsoleBrowser browser, String setupCode) throws Exception {
        browser.go("/");
        browser.awaitTitle("First visit", PAGE);
        browser.find(By.name("code")).sendKeys(setupCode.toLowerCase());
        browser.find(By.name("password")).sendKeys(PASSWORD);
        browser.find(By.name("confirm")).sendKeys(PASSWORD);
        browser.screenshot("first-visit");
        browser.find(By.xpath("//button[normalize-space()='Set password']")).click();
        browser.awaitTitle("Overview", PAGE);
        assertThat(fact(browser, "Gateway id")).isEqualTo(GATEWAY);
        browser.screenshot("overview");
    }

    private static void logOutAndIn(ConsoleBrowser browser) throws Exception {
        browser.find(By.xpath("//form[@action='/logout']/button")).click();
        browser.awaitTitle("Log in", PAGE);
        browser.go("/meters");
        browser.awaitTitle("Log in", PAGE); // nothing without login
        browser.find(By.name("password")).sendKeys(PASSWORD);
        browser.screenshot("login");
        browser.find(By.xpath("//button[normalize-space()='Log in']")).click();
        browser.awaitTitle("Overview", PAGE);
    }

    /** Discovers the two pseudo-terminals, accepts the meter on the first; returns the accepted meter id. */
    private static String discoverAndAccept(ConsoleBrowser browser, Path m1, Path m2) throws Exception {
        browser.navigate("Ports and discovery", "Ports and discovery", PAGE);
        browser.find(By.name("servers")).sendKeys(m1 + "\n" + m2);
        browser.screenshot("discovery-start");
        browser.find(By.xpath("//button[normalize-space()='Start discovery']")).click();
        String done = browser.await("discovery to finish", WAIT, d -> {
            List<WebElement> finished = d.findElements(By.cssSelector("p.done"));
            return finished.isEmpty() ? null : finished.get(0).getText();
        });
        assertThat(done).contains("Discovery finished").containsPattern("[2-9] meters found");
        WebElement first = findingRow(browser, m1);
        assertThat(findingRow(browser, m2).getText()).contains("IEC 62056-21");
        assertThat(first.getText()).contains("IEC 62056-21").contains("initialBaud = 300");
        browser.screenshot("discovery-findings");

        WebElement accept = first.findElement(By.xpath(".//button[starts-with(normalize-space(), 'Accept ')]"));
        String meterId = accept.getText().strip().substring("Accept ".length());
        accept.click();
        String accepted = browser.await("the proposal to be accepted", PAGE,
                d -> findingRow(browser, m1).getText().contains("Accepted as meter") ? findingRow(browser, m1).getText()
                        : null);
        assertThat(accepted).contains("Accepted as meter " + meterId);
        browser.screenshot("discovery-accepted");
        return meterId;
    }

    private static WebElement findingRow(ConsoleBrowser browser, Path link) {
        return browser.find(By.xpath("//table[@class='findings']/tbody/tr[td[2][contains(., '"
                + link.getFileName() + "')]]"));
    }

    private static void meterShowsValues(ConsoleBrowser browser, String meterId, Path link) throws Exception {
        browser.navigate("Meters", "Meters", PAGE);
        String row = browser.awaitReloading("meter " + meterId + " online with readings", WAIT, d -> {
            WebElement tr = d.findElement(By.xpath("//table/tbody/tr[td[1][normalize-space()='" + meterId + "']]"));
            String state = tr.findElement(By.xpath("td[4]")).getText().strip();
            String readings = tr.findElement(By.xpath("td[6]")).getText();
            return state.equals("online") && readings.contains("1-0:") ? tr.getText() : null;
        });
        assertThat(row).contains(link.toString()).contains("iec62056-21").doesNotContain("none yet");
        browser.screenshot("meters");
        // the meter's own page: its values with plots of the last hour, filled as the meter is read
        browser.find(By.xpath("//table/tbody/tr[td[1][normalize-space()='" + meterId + "']]//a")).click();
        browser.awaitTitle("Meter " + meterId, PAGE);
        int plots = browser.await("plots of the meter's values", WAIT, d -> {
            int shown = d.findElements(By.cssSelector("figure svg.plot")).size();
            return shown > 0 ? shown : null;
        });
        assertThat(plots).isPositive();
        assertThat(browser.find(By.tagName("main")).getText()).contains("1-0:1.8.0*255").contains("kWh");
        browser.screenshot("meter");
    }

    private static void checkPasses(ConsoleBrowser browser, EmbeddedBroker broker) throws Exception {
        browser.go("/");
        browser.awaitReloading("the head-end link to connect", WAIT,
                d -> fact(browser, "Head-end link").startsWith("connected to") ? Boolean.TRUE : null);
        browser.navigate("Connectivity", "Connectivity", PAGE);
        String verdict = runCheck(browser);
        assertThat(verdict).isEqualTo("The head-end link works.");
        assertThat(stepRows(browser)).hasSize(5).allSatisfy(r -> assertThat(r.getDomAttribute("class")).isEqualTo("passed"));
        assertThat(browser.find(By.tagName("main")).getText()).contains(String.valueOf(broker.port()));
        browser.screenshot("connectivity-passed");
    }

    private static void checkFailsAtTls(ConsoleBrowser browser, EmbeddedBroker otherBroker) throws Exception {
        // the link takes the new broker address: the overview names it
        browser.go("/");
        browser.awaitReloading("the link to use the other broker", WAIT,
                d -> fact(browser, "Head-end link").contains(":" + otherBroker.port()) ? Boolean.TRUE : null);
        browser.navigate("Connectivity", "Connectivity", PAGE);
        String verdict = runCheck(browser);
        assertThat(verdict).startsWith("The head-end link does not work");
        List<WebElement> rows = stepRows(browser);
        assertThat(rows).extracting(r -> r.getDomAttribute("class"))
                .containsExactly("passed", "passed", "failed", "skipped", "skipped");
        assertThat(rows.get(2).getText()).contains("not signed by the CA you installed");
        assertThat(rows.get(3).getText()).contains("not run");
        browser.screenshot("connectivity-wrong-ca");
    }

    /** Presses the run button and waits through the self-reloading progress for the verdict. */
    private static String runCheck(ConsoleBrowser browser) {
        browser.find(By.xpath("//form[@action='/connectivity/start']/button")).click();
        return browser.await("the connectivity check's verdict", WAIT, d -> {
            List<WebElement> verdict = d.findElements(By.cssSelector("p.verdict"));
            return verdict.isEmpty() || d.findElements(By.xpath("//form[@action='/connectivity/start']")).isEmpty()
                    ? null : verdict.get(0).getText();
        });
    }

    private static List<WebElement> stepRows(ConsoleBrowser browser) {
        return browser.findAll(By.cssSelector("table.checks tbody tr"));
    }

    private static String fact(ConsoleBrowser browser, String name) {
        return browser.find(By.xpath("//dl[@class='facts']/dt[normalize-space()='" + name
                + "']/following-sibling::dd[1]")).getText();
    }

    private static String headendConfig(EmbeddedBroker broker) {
        return "brokerUri=" + broker.uri() + "\nreconnectInitialSeconds=1\nreconnectMaxSeconds=2\n"
                + "connectTimeoutSeconds=5\nkeepAliveSeconds=10\n";
    }

    /**
     * Commissioning on the Certificates page: the gateway's certification request (the page's download; here from
     * mg:csr, the same request) signed by the head-end CA, the chain and the CA pasted and installed.
     */
    private static void commission(ConsoleBrowser browser, GatewayUnderTest gateway, Pki pki) throws Exception {
        browser.navigate("Certificates", "Certificates", PAGE);
        assertThat(browser.find(By.tagName("main")).getText()).contains("Self-signed placeholder");
        browser.screenshot("certificates-self-signed");
        Matcher csr = CSR.matcher(gateway.awaitCommandOutput("mg:csr", s -> CSR.matcher(s).find(), WAIT));
        assertThat(csr.find()).isTrue();
        browser.find(By.name("chain")).sendKeys(pki.signCsr(csr.group() + "\n"));
        browser.find(By.name("ca")).sendKeys(Files.readString(pki.caPem()));
        browser.find(By.xpath("//button[normalize-space()='Install']")).click();
        String installed = browser.await("the signed certificate in use", PAGE, d -> {
            String main = d.findElement(By.tagName("main")).getText();
            return main.contains("Signed by the head-end CA.") ? main : null;
        });
        assertThat(installed).contains("CN=" + GATEWAY).contains(pki.caCertificate().getSubjectX500Principal()
                .getName().split(",")[0]);
        browser.screenshot("certificates-signed");
    }

    /** The start logged the code once, when the console was served (not once per activation of the component). */
    private static void setupCodeLoggedOnce(GatewayUnderTest gateway, String setupCode) throws Exception {
        Path log = gateway.dataDir().resolve("log/metergate.log");
        String line = "console first visit: setup code " + setupCode;
        GatewayUnderTest.awaitTrue("the setup code in the log", Duration.ofSeconds(10),
                () -> GatewayUnderTest.textOf(log).contains(line));
        assertThat(GatewayUnderTest.occurrences(GatewayUnderTest.textOf(log), line)).as("setup code lines").isEqualTo(1);
    }

    /** The one-time code the console writes on its first start, as {@code bin/metergate setup-code} reads it. */
    private static String awaitSetupCode(GatewayUnderTest gateway) throws Exception {
        Path file = gateway.dataDir().resolve("console/setup-code");
        GatewayUnderTest.awaitTrue(file + " to be written", WAIT, () -> Files.isRegularFile(file));
        String code = Files.readString(file, StandardCharsets.UTF_8).strip();
        assertThat(code).matches("[A-Z0-9]{4}(-[A-Z0-9]{4}){2}");
        return code;
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (Exception | LinkageError e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
