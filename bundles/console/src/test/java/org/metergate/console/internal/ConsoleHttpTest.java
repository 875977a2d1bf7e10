// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console over real HTTPS with a commissioned device certificate, driven by the JDK HTTP client. */
class ConsoleHttpTest {

    private static final String PASSWORD = "meter-room-42";

    @TempDir
    Path temp;
    private ConsoleServer console;

    @BeforeEach
    void start() throws Exception {
        console = new ConsoleServer(temp, false, () -> new GatewayStatus(console.clock.instant(),
                ConsoleServer.GATEWAY_ID, "0.1.0", Duration.ofHours(3), StatusCollector.LINK_NOT_REPORTED, null,
                List.of(), Map.of(), List.of()));
    }

    @AfterEach
    void stop() throws Exception {
        console.close();
    }

    /** First visit: GET /setup for the form token, POST the code and password; returns the logged-in browser. */
    private Browser setUp(String code, String password) throws Exception {
        Browser browser = console.browser();
        String form = Browser.hidden(browser.get("/setup").body(), "form");
        HttpResponse<String> done = browser.post("/setup",
                Map.of("form", form, "code", code, "password", password, "confirm", password));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).hasValue("/");
        return browser;
    }

    private HttpResponse<String> logIn(Browser browser, String password) throws Exception {
        String form = Browser.hidden(browser.get("/login").body(), "form");
        return browser.post("/login", Map.of("form", form, "password", password));
    }

    @Test
    void nothingIsShownWithoutLogin() throws Exception {
        Browser stranger = console.browser();
        HttpResponse<String> first = stranger.get("/");
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(first.headers().firstValue("Location")).hasValue("/setup");
        assertThat(first.body()).doesNotContain(ConsoleServer.GATEWAY_ID);

        setUp(console.setupCode(), PASSWORD);

        for (String page : List.of("/", "/meters")) {
            HttpResponse<String> response = stranger.get(page);
            assertThat(response.statusCode()).as(page).isEqualTo(303);
            assertThat(response.headers().firstValue("Location")).hasValue("/login");
            assertThat(response.body()).doesNotContain(ConsoleServer.GATEWAY_ID);
        }
        stranger.cookies.put("__Host-mg-session", "made-up-session-id-made-up-session-id-12345");
        assertThat(stranger.get("/").statusCode()).isEqualTo(303);
        assertThat(stranger.post("/logout", Map.of("csrf", "x")).statusCode()).isEqualTo(403);
        assertThat(stranger.get("/no-such-page").statusCode()).isEqualTo(404);
    }

    @Test
    void theSetupCodeSetsThePasswordOnce() throws Exception {
        String code = console.setupCode();
        assertThat(Files.exists(console.directory.resolve(Credentials.SETUP_CODE_FILE))).isTrue();

        Browser technician = setUp(code.toLowerCase(java.util.Locale.ROOT).replace("-", " "), PASSWORD);
        HttpResponse<String> overview = technician.get("/");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains(ConsoleServer.GATEWAY_ID).contains("Log out");
        assertThat(console.credentials.setupCode()).isEmpty();
        assertThat(Files.exists(console.directory.resolve(Credentials.SETUP_CODE_FILE))).isFalse();

        Browser intruder = console.browser();
        assertThat(intruder.get("/setup").headers().firstValue("Location")).hasValue("/login");
        String form = Browser.hidden(intruder.get("/login").body(), "form");
        HttpResponse<String> again = intruder.post("/setup",
                Map.of("form", form, "code", code, "password", "another-password", "confirm", "another-password"));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("works only once");

        assertThat(logIn(console.browser(), "another-password").statusCode()).isEqualTo(401);
        assertThat(logIn(console.browser(), PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void aWrongCodeOrUnacceptablePasswordChangesNothing() throws Exception {
        Browser browser = console.browser();
        String form = Browser.hidden(browser.get("/setup").body(), "form");
        HttpResponse<String> wrong = browser.post("/setup",
                Map.of("form", form, "code", "AAAA-AAAA-AAAA", "password", PASSWORD, "confirm", PASSWORD));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong setup code");

        HttpResponse<String> tooShort = browser.post("/setup",
                Map.of("form", form, "code", console.setupCode(), "password", "short", "confirm", "short"));
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(tooShort.body()).contains("at least 10 characters");

        HttpResponse<String> differ = browser.post("/setup", Map.of("form", form, "code", console.setupCode(),
                "password", PASSWORD, "confirm", PASSWORD + "x"));
        assertThat(differ.statusCode()).isEqualTo(400);
        assertThat(console.credentials.passwordSet()).isFalse();

        setUp(console.setupCode(), PASSWORD);
    }

    @Test
    void wrongPasswordsAreRateLimited() throws Exception {
        setUp(console.setupCode(), PASSWORD);
        Browser guesser = console.browser();
        for (int i = 0; i < 5; i++) {
            assertThat(logIn(guesser, "guess-number-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> paused = logIn(guesser, PASSWORD);
        assertThat(paused.statusCode()).as("even the right password waits").isEqualTo(429);
        assertThat(paused.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(logIn(console.browser(), PASSWORD).statusCode()).as("the pause is for everyone").isEqualTo(429);

        console.clock.advance(Duration.ofSeconds(31));
        assertThat(logIn(guesser, "guess-number-6").statusCode()).isEqualTo(401);
        HttpResponse<String> longer = logIn(guesser, PASSWORD);
        assertThat(longer.statusCode()).isEqualTo(429);
        assertThat(longer.headers().firstValue("Retry-After")).as("each failure doubles the pause").hasValue("60");

        console.clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> in = logIn(guesser, PASSWORD);
        assertThat(in.statusCode()).isEqualTo(303);
        assertThat(guesser.get("/").statusCode()).isEqualTo(200);
        assertThat(logIn(console.browser(), "one-wrong-after-success").statusCode())
                .as("a successful login resets the count").isEqualTo(401);
    }

    @Test
    void wrongSetupCodesAreRateLimitedToo() throws Exception {
        Browser guesser = console.browser();
        String form = Browser.hidden(guesser.get("/setup").body(), "form");
        for (int i = 0; i < 5; i++) {
            assertThat(guesser.post("/setup", Map.of("form", form, "code", "BBBB-BBBB-BBB" + (i + 2),
                    "password", PASSWORD, "confirm", PASSWORD)).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> paused = guesser.post("/setup",
                Map.of("form", form, "code", console.setupCode(), "password", PASSWORD, "confirm", PASSWORD));
        assertThat(paused.statusCode()).isEqualTo(429);
        assertThat(console.credentials.passwordSet()).isFalse();
    }

    @Test
    void stateChangingRequestsNeedTheirToken() throws Exception {
        Browser technician = setUp(console.setupCode(), PASSWORD);
        String csrf = Browser.hidden(technician.get("/").body(), "csrf");

        assertThat(technician.post("/logout", Map.of()).statusCode()).isEqualTo(403);
        assertThat(technician.post("/logout", Map.of("csrf", csrf + "x")).statusCode()).isEqualTo(403);
        assertThat(technician.post("/logout", Map.of("csrf", csrf), "https://evil.example").statusCode())
                .as("another site's form").isEqualTo(403);
        assertThat(technician.get("/").statusCode()).as("still logged in").isEqualTo(200);

        Browser other = console.browser();
        other.get("/login");
        assertThat(other.post("/login", Map.of("password", PASSWORD)).statusCode())
                .as("login without the form token").isEqualTo(403);
        assertThat(other.post("/login", Map.of("form", "forged", "password", PASSWORD)).statusCode()).isEqualTo(403);
        assertThat(other.get("/").statusCode()).isEqualTo(303);

        HttpResponse<String> out = technician.post("/logout", Map.of("csrf", csrf));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Location")).hasValue("/login");
        assertThat(technician.get("/").statusCode()).isEqualTo(303);
    }

    @Test
    void aLoginReplacesASessionIdTheBrowserAlreadyHad() throws Exception {
        setUp(console.setupCode(), PASSWORD);
        Browser browser = console.browser();
        browser.cookies.put("__Host-mg-session", "planted-by-someone-else-planted-by-someone-");
        assertThat(logIn(browser, PASSWORD).statusCode()).isEqualTo(303);
        assertThat(browser.cookies.get("__Host-mg-session")).isNotEqualTo("planted-by-someone-else-planted-by-someone-")
                .hasSize(43);
    }

    @Test
    void sessionsExpire() throws Exception {
        Browser technician = setUp(console.setupCode(), PASSWORD);
        console.clock.advance(Duration.ofMinutes(14));
        assertThat(technician.get("/").statusCode()).as("active within the idle time").isEqualTo(200);
        console.clock.advance(Duration.ofMinutes(15));
        HttpResponse<String> idle = technician.get("/");
        assertThat(idle.statusCode()).as("15 minutes idle").isEqualTo(303);
        assertThat(idle.headers().firstValue("Location")).hasValue("/login");

        assertThat(logIn(technician, PASSWORD).statusCode()).isEqualTo(303);
        for (int i = 0; i < 47; i++) { // 47 x 10 min = 7 h 50 min of steady use
            console.clock.advance(Duration.ofMinutes(10));
            assertThat(technician.get("/meters").statusCode()).isEqualTo(200);
        }
        console.clock.advance(Duration.ofMinutes(10));
        assertThat(technician.get("/").statusCode()).as("8 hours after login, however active").isEqualTo(303);
    }

    @Test
    void everyResponseCarriesSecurityHeadersAndCookiesAreLockedDown() throws Exception {
        Browser browser = console.browser();
        HttpResponse<String> login = browser.get("/setup");
        assertThat(login.headers().firstValue("Content-Security-Policy")).hasValue(ConsoleServlet.CSP);
        assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(login.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(login.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(login.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(login.headers().firstValue("Strict-Transport-Security")).isPresent();
        assertThat(login.headers().firstValue("Server")).isEmpty();
        assertThat(login.body()).doesNotContain("<script");
        assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                .startsWith("__Host-mg-form=").contains("HttpOnly").contains("Secure").contains("SameSite=Strict")
                .contains("Path=/"));

        String form = Browser.hidden(login.body(), "form");
        HttpResponse<String> done = browser.post("/setup",
                Map.of("form", form, "code", console.setupCode(), "password", PASSWORD, "confirm", PASSWORD));
        assertThat(done.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("__Host-mg-session=").contains("HttpOnly").contains("Secure")
                .contains("SameSite=Strict"));
        assertThat(browser.get("/nothing").headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void otherConnectorsOfTheServerGetNothing() throws Exception {
        Browser local = new Browser(console.otherConnectorUri(), null);
        HttpResponse<String> response = local.get("/setup");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("setup code").doesNotContain("form");
        assertThat(local.cookies).isEmpty();
    }
}
