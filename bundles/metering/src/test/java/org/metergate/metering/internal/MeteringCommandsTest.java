// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Retention;

class MeteringCommandsTest {

    private final RecordingOutbox outbox = new RecordingOutbox();
    private final MeteringService noMeters = new MeteringService() {
        @Override
        public List<MeterStatus> meters() {
            return List.of();
        }

        @Override
        public Optional<MeterStatus> meter(String meterId) {
            return Optional.empty();
        }

        @Override
        public Optional<MeterReadout> lastReadout(String meterId) {
            return Optional.empty();
        }

        @Override
        public MeterReadout readNow(String meterId) throws MeterException {
            throw new MeterException(MeterException.Reason.CONFIGURATION, "no meter with id '" + meterId + "'");
        }
    };
    private final MeteringCommands commands = new MeteringCommands(noMeters, outbox);

    @Test
    void outboxListsWhatGoesOutNextInOrder() throws Exception {
        outbox.append(MessageKind.READING, "m1", Retention.ROUTINE, "[{\"obis\":\"1-0:1.8.0*255\"}]");
        outbox.append(MessageKind.EVENT, "m2", Retention.ALARM, "{\"type\":\"meter-unreachable\"}");

        String listing = commands.outbox(10);

        assertThat(listing.lines()).hasSize(3);
        assertThat(listing.lines().skip(1).toList().get(0)).contains("READING", "m1", "ROUTINE");
        assertThat(listing.lines().skip(2).toList().get(0)).contains("EVENT", "m2", "meter-unreachable");
        assertThat(commands.outbox(1).lines()).hasSize(2);
    }

    @Test
    void agesSayWhetherTheMeterClockRunsAhead() {
        java.time.Instant now = java.time.Instant.parse("2026-03-02T12:00:00Z");
        assertThat(MeteringCommands.ago(now, now.minusSeconds(5))).isEqualTo("5s ago");
        assertThat(MeteringCommands.ago(now, now.minusSeconds(600))).isEqualTo("10m ago");
        assertThat(MeteringCommands.ago(now, now.plusSeconds(3 * 3600))).isEqualTo("3h ahead");
    }

    @Test
    void plainAnswersWhenThereIsNothing() {
        assertThat(commands.outbox(5)).isEqualTo("Nothing is waiting for the head-end.");
        assertThat(commands.meters()).startsWith("No meters configured.");
        assertThat(commands.read("m9")).isEqualTo("Could not read m9: no meter with id 'm9'");
    }
}
