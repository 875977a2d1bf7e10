// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterState;
import org.metergate.api.outbox.MessageKind;

class MeterPollerTest {

    private final RecordingOutbox outbox = new RecordingOutbox();
    private final List<String> notices = new ArrayList<>();
    private final MeterPoller.Listener listener = new MeterPoller.Listener() {
        @Override
        public void readout(MeterReadout readout) {
            notices.add("readout " + readout.meterId());
        }

        @Override
        public void failure(String meterId, MeterException failure, MeterState state) {
            notices.add(state + " " + failure.reason());
        }
    };

    private MeterPoller poller(ScriptedMeter meter) {
        return new MeterPoller(meter, outbox, Clock.systemUTC(), listener);
    }

    @Test
    void successfulReadQueuesReadingsAndWaitsOneInterval() {
        ScriptedMeter meter = new ScriptedMeter("m1", ScriptedMeter.policy(2)).answers(1);
        MeterPoller poller = poller(meter);

        assertThat(poller.attempt()).isEqualTo(Duration.ofSeconds(15));

        assertThat(poller.status().state()).isEqualTo(MeterState.ONLINE);
        assertThat(outbox.ofKind(MessageKind.READING)).singleElement()
                .satisfies(m -> assertThat(m.payload()).contains("\"obis\":\"1-0:1.8.0*255\"", "\"value\":1005"));
        assertThat(meter.sessionsClosed).isEqualTo(meter.sessionsOpened);
    }

    @Test
    void retriesWithDoublingCappedBackoffThenMarksUnreachableOnce() {
        ScriptedMeter meter = new ScriptedMeter("m1", ScriptedMeter.policy(3)).fails(Reason.NO_ANSWER, 8);
        MeterPoller poller = poller(meter);

        assertThat(poller.attempt()).isEqualTo(Duration.ofSeconds(2));
        assertThat(poller.status().state()).isEqualTo(MeterState.RETRYING);
        assertThat(poller.attempt()).isEqualTo(Duration.ofSeconds(4));
        assertThat(poller.attempt()).isEqualTo(Duration.ofSeconds(5));
        assertThat(poller.attempt()).isEqualTo(Duration.ofSeconds(15));
        assertThat(poller.status().state()).isEqualTo(MeterState.UNREACHABLE);
        // the next cycle retries again, but the meter is not reported unreachable a second time
        assertThat(poller.attempt()).isEqualTo(Duration.ofSeconds(2));
        assertThat(poller.status().state()).isEqualTo(MeterState.UNREACHABLE);

        assertThat(outbox.ofKind(MessageKind.READING)).isEmpty();
        assertThat(outbox.ofKind(MessageKind.EVENT)).singleElement()
                .satisfies(m -> assertThat(m.payload()).contains("\"type\":\"meter-unreachable\""));
        assertThat(poller.status().consecutiveFailures()).isEqualTo(5);
        assertThat(poller.lastReadout()).isEmpty();
        assertThat(meter.sessionsClosed).isEqualTo(meter.sessionsOpened);
    }

    @Test
    void recoveryIsReportedAndResetsFailures() {
        ScriptedMeter meter = new ScriptedMeter("m1", ScriptedMeter.policy(0)).fails(Reason.CHECKSUM, 1).answers(1);
        MeterPoller poller = poller(meter);

        assertThat(poller.attempt()).isEqualTo(Duration.ofSeconds(15));
        assertThat(poller.status().state()).isEqualTo(MeterState.UNREACHABLE);
        poller.attempt();

        assertThat(poller.status().state()).isEqualTo(MeterState.ONLINE);
        assertThat(poller.status().consecutiveFailures()).isZero();
        assertThat(poller.status().lastError()).isNull();
        assertThat(outbox.ofKind(MessageKind.EVENT)).extracting(m -> m.payload().contains("meter-recovered"))
                .containsExactly(false, true);
    }

    @Test
    void refusalIsNotRetried() {
        ScriptedMeter meter = new ScriptedMeter("m1", ScriptedMeter.policy(3)).fails(Reason.REFUSED, 1);
        MeterPoller poller = poller(meter);

        assertThat(poller.attempt()).isEqualTo(Duration.ofSeconds(15));
        assertThat(poller.status().state()).isEqualTo(MeterState.UNREACHABLE);
    }

    @Test
    void configurationErrorMarksMisconfiguredWithTheReason() {
        ScriptedMeter meter = new ScriptedMeter("m1", ScriptedMeter.policy(3)).fails(Reason.CONFIGURATION, 1);
        MeterPoller poller = poller(meter);

        poller.attempt();

        assertThat(poller.status().state()).isEqualTo(MeterState.MISCONFIGURED);
        assertThat(poller.status().lastError()).isEqualTo("scripted CONFIGURATION");
    }

    @Test
    void readingsRefusedByTheOutboxAreKeptAndStoredLater() {
        ScriptedMeter meter = new ScriptedMeter("m1", ScriptedMeter.policy(0)).answers(2);
        MeterPoller poller = poller(meter);
        outbox.refuse = true;

        poller.attempt();
        assertThat(poller.unstoredCount()).isEqualTo(1);
        assertThat(poller.status().lastError()).contains("held in memory", "disk full");

        outbox.refuse = false;
        poller.attempt();

        assertThat(poller.unstoredCount()).isZero();
        assertThat(outbox.ofKind(MessageKind.READING)).hasSize(2)
                .extracting(m -> m.payload().contains("\"value\":1005")).containsExactly(true, false);
        assertThat(poller.status().lastError()).isNull();
    }

    @Test
    void readNowReturnsValuesOrThePlainReason() throws Exception {
        ScriptedMeter meter = new ScriptedMeter("m1", ScriptedMeter.policy(2)).answers(1).fails(Reason.NO_ANSWER, 1);
        MeterPoller poller = poller(meter);

        assertThat(poller.readNow(Duration.ofSeconds(1)).readings()).hasSize(1);
        assertThatThrownBy(() -> poller.readNow(Duration.ofSeconds(1))).isInstanceOf(MeterException.class)
                .hasMessage("scripted NO_ANSWER");
    }

    @Test
    void aDriverBugIsReportedNotPropagated() {
        ScriptedMeter meter = new ScriptedMeter("m1", ScriptedMeter.policy(0)); // empty script: open() throws ISE
        MeterPoller poller = poller(meter);

        assertThat(poller.attempt()).isEqualTo(Duration.ofSeconds(15));
        assertThat(poller.status().lastError()).contains("failed unexpectedly", "exhausted");
    }
}
