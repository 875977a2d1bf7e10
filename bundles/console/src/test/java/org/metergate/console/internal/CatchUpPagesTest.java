// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterState;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.meter.ProfileCatchUp;
import org.metergate.store.embedded.EmbeddedStore;
import org.metergate.store.embedded.Stores;

/**
 * A DLMS meter catching up three days of load profile after an outage: the meter page (over HTTPS) and the meters
 * list say how far it is in words, the page reloads faster while it runs and returns to normal when it is done.
 */
@Timeout(60)
class CatchUpPagesTest {

    private static final Instant NOW = Instant.parse("2026-12-04T00:06:00Z");
    private static final ProfileCatchUp ONE_DAY_OF_THREE = new ProfileCatchUp(Instant.parse("2026-12-01T00:00:00Z"),
            Instant.parse("2026-12-04T00:00:00Z"), Instant.parse("2026-12-01T23:59:59Z"), 96, 288,
            Instant.parse("2026-12-04T00:05:00Z"));

    @TempDir
    Path temp;

    private final MutableClock clock = new MutableClock(NOW);
    private final Metering metering = new Metering();
    private final EmbeddedStore store = Stores.memory();
    private PinnedConsole console;

    /** One DLMS meter whose catch-up the test sets, as the metering service reports it. */
    private static final class Metering implements MeteringService {
        volatile ProfileCatchUp catchUp;

        @Override
        public List<MeterStatus> meters() {
            return List.of(new MeterStatus("dlms-1", "DLMS/COSEM", "tcp://127.0.0.1:4059", MeterState.UNREACHABLE,
                    NOW.minus(Duration.ofDays(3)), NOW.minusSeconds(60), NOW.plusSeconds(840), 0, null, catchUp));
        }

        @Override
        public Optional<MeterStatus> meter(String meterId) {
            return meters().stream().filter(m -> m.meterId().equals(meterId)).findFirst();
        }

        @Override
        public Optional<MeterReadout> lastReadout(String meterId) {
            return Optional.empty();
        }

        @Override
        public MeterReadout readNow(String meterId) throws MeterException {
            throw new MeterException(MeterException.Reason.REFUSED, "not read in this test");
        }
    }

    @AfterEach
    void stop() {
        if (console != null) {
            console.close();
        }
        store.close();
    }

    @Test
    void theMeterPageShowsTheCatchUpAndReloadsFasterUntilItIsDone() throws Exception {
        console = new PinnedConsole(temp, List.of(new MeterSection(clock, () -> metering, store::tokenLedger,
                store::meterState, new LiveValues())));
        Browser browser = console.loggedIn();

        metering.catchUp = ONE_DAY_OF_THREE;
        HttpResponse<String> running = browser.get("/meters/dlms-1");
        assertThat(running.statusCode()).as(running.body()).isEqualTo(200);
        assertThat(running.headers().firstValue("Refresh"))
                .hasValue(Integer.toString(MeterSection.CATCH_UP_REFRESH_SECONDS));
        assertThat(running.body())
                .contains("catching up the load profile: 96 of 288 captures (2026-12-01 00:00 to 2026-12-04 00:00 UTC)")
                .contains("<progress max=\"288\" value=\"96\"></progress>")
                .contains("Started 2026-12-04 00:05:00 UTC")
                .contains("this page reloads every 2 seconds");

        metering.catchUp = null;
        HttpResponse<String> done = browser.get("/meters/dlms-1");
        assertThat(done.headers().firstValue("Refresh")).hasValue(Integer.toString(MeterSection.REFRESH_SECONDS));
        assertThat(done.body()).doesNotContain("catching up").doesNotContain("<progress")
                .contains("this page reloads every 10 seconds");
    }

    @Test
    void aMeterThatGivesNoCapturePeriodShowsHowFarInTimeTheCatchUpIs() {
        ProfileCatchUp noPeriod = new ProfileCatchUp(ONE_DAY_OF_THREE.from(), ONE_DAY_OF_THREE.to(),
                ONE_DAY_OF_THREE.fetchedUpTo(), 96, 0, ONE_DAY_OF_THREE.startedAt());
        metering.catchUp = noPeriod;
        String html = MeterPages.meter(metering.meter("dlms-1").orElseThrow(), null, Map.of(), List.of(),
                MeterPages.Tokens.unavailable("not in this test"), NOW, "t");
        assertThat(html).contains("catching up the load profile: 96 captures, read up to 2026-12-01 23:59 "
                + "(2026-12-01 00:00 to 2026-12-04 00:00 UTC)").contains("<progress></progress>");
    }

    @Test
    void theMetersListSaysItInWordsAndReloadsOnlyWhileACatchUpRuns() {
        metering.catchUp = ONE_DAY_OF_THREE;
        GatewayStatus running = status();
        assertThat(Pages.meters(running, "t"))
                .contains("<td>unreachable<br><small class=\"catch-up\">catching up the load profile: 96 of 288 "
                        + "captures (2026-12-01 00:00 to 2026-12-04 00:00 UTC)</small></td>")
                .contains("this page reloads every 2 seconds while a meter's load profile is caught up");
        assertThat(Pages.metersRefresh(running)).hasValue(MeterSection.CATCH_UP_REFRESH_SECONDS);

        metering.catchUp = null;
        GatewayStatus done = status();
        assertThat(Pages.meters(done, "t")).contains("<td>unreachable</td>").doesNotContain("catching up")
                .doesNotContain("reloads");
        assertThat(Pages.metersRefresh(done)).isEmpty();
    }

    private GatewayStatus status() {
        return new StatusCollector(clock, NOW.minus(Duration.ofHours(1)), "0.1.0", () -> null, () -> metering,
                () -> null, () -> null).collect();
    }
}
