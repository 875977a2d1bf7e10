// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.host.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class ServiceNotifierTest {

    private final List<String> sent = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final AtomicReference<Optional<String>> problem = new AtomicReference<>(Optional.empty());
    private boolean closed;

    private final ServiceNotifier.Sender sender = new ServiceNotifier.Sender() {
        @Override
        public void send(String message) throws IOException {
            if (closed) {
                throw new IOException("socket closed");
            }
            sent.add(message);
        }

        @Override
        public void close() {
            closed = true;
        }
    };

    private final ServiceNotifier notifier = new ServiceNotifier(sender, problem::get, warnings::add);

    @Test
    void withoutANotifySocketThereIsNothingToReportTo() {
        assertThat(ServiceNotifier.Settings.from(Map.of("WATCHDOG_USEC", "120000000"), 42)).isEmpty();
    }

    @Test
    void pingsThreeTimesPerWatchdogPeriodWhenTheWatchdogIsForThisProcess() {
        var settings = ServiceNotifier.Settings.from(Map.of("NOTIFY_SOCKET", "/run/systemd/notify",
                "WATCHDOG_USEC", "120000000", "WATCHDOG_PID", "42"), 42).orElseThrow();

        assertThat(settings.socket()).isEqualTo("/run/systemd/notify");
        assertThat(settings.pingEvery()).contains(Duration.ofSeconds(40));
    }

    @Test
    void aWatchdogMeantForAnotherProcessOrNoneAtAllMeansNoPings() {
        assertThat(ServiceNotifier.Settings.from(Map.of("NOTIFY_SOCKET", "@notify", "WATCHDOG_USEC", "120000000",
                "WATCHDOG_PID", "7"), 42).orElseThrow().pingEvery()).isEmpty();
        assertThat(ServiceNotifier.Settings.from(Map.of("NOTIFY_SOCKET", "@notify"), 42).orElseThrow().pingEvery())
                .isEmpty();
    }

    @Test
    void aMalformedWatchdogPeriodIsNamed() {
        assertThatThrownBy(() -> ServiceNotifier.Settings.from(Map.of("NOTIFY_SOCKET", "@n", "WATCHDOG_USEC", "2m"), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WATCHDOG_USEC").hasMessageContaining("'2m'");
    }

    @Test
    void readyThenAPingPerHealthyTickAndStoppingAtTheEnd() {
        notifier.ready();
        notifier.tick();
        notifier.tick();
        notifier.stopping();

        assertThat(sent).containsExactly("READY=1\nSTATUS=gateway started", "WATCHDOG=1", "WATCHDOG=1", "STOPPING=1");
        assertThat(closed).isTrue();
        assertThat(warnings).isEmpty();
    }

    @Test
    void anUnhealthyGatewayMissesItsPingsAndTheProblemIsReportedOnceUntilItClears() {
        notifier.tick();
        problem.set(Optional.of("the outbox did not answer within 20000 ms"));
        notifier.tick();
        notifier.tick();
        problem.set(Optional.empty());
        notifier.tick();

        assertThat(sent).containsExactly("WATCHDOG=1", "WATCHDOG=1");
        assertThat(warnings).singleElement().asString().contains("the outbox did not answer within 20000 ms")
                .contains("systemd restarts it");
    }

    @Test
    void aFailedSendIsReportedWithTheMessage() {
        closed = true;
        notifier.tick();

        assertThat(warnings).singleElement().asString().contains("WATCHDOG=1").contains("socket closed");
    }
}
