// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Development mode: plain HTTP, loopback only, same rules otherwise. */
class DevelopmentHttpTest {

    @TempDir
    Path temp;

    @Test
    void plainHttpListensOnLoopbackOnlyAndKeepsTheRules() throws Exception {
        try (ConsoleServer console = new ConsoleServer(temp, true, () -> new GatewayStatus(
                java.time.Instant.EPOCH, null, "0.1.0", Duration.ZERO, StatusCollector.LINK_NOT_REPORTED, null,
                List.of(), Map.of(), List.of()))) {
            assertThat(console.uri().getScheme()).isEqualTo("http");
            assertThat(console.consoleHost()).isEqualTo("127.0.0.1");

            Browser browser = console.browser();
            assertThat(browser.get("/").headers().firstValue("Location")).hasValue("/setup");
            HttpResponse<String> setup = browser.get("/setup");
            assertThat(setup.headers().firstValue("Strict-Transport-Security")).isEmpty();
            assertThat(setup.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                    .startsWith("mg-form=").contains("HttpOnly").contains("SameSite=Strict")
                    .doesNotContain("Secure"));
            String form = Browser.hidden(setup.body(), "form");
            assertThat(browser.post("/setup", Map.of("form", form, "code", console.setupCode(),
                    "password", "meter-room-42", "confirm", "meter-room-42")).statusCode()).isEqualTo(303);
            assertThat(browser.get("/").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void developmentModeBindsLoopbackWhateverTheHostSays() {
        ConsoleSettings dev = new ConsoleSettings(8080, "0.0.0.0", true, Duration.ofMinutes(15), Duration.ofHours(8),
                5, Duration.ofSeconds(30));
        assertThat(dev.bindAddress()).isEqualTo("127.0.0.1");
        ConsoleSettings https = new ConsoleSettings(8443, "", false, Duration.ofMinutes(15), Duration.ofHours(8), 5,
                Duration.ofSeconds(30));
        assertThat(https.bindAddress()).isNull();
    }
}
