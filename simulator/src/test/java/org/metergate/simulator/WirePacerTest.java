// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class WirePacerTest {

    /** A clock that only moves when someone waits. */
    static final class FakeTime implements TimeSource {
        long now = 1_000_000L;
        final List<Long> deadlines = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void parkUntil(long deadline) {
            deadlines.add(deadline);
            now = Math.max(now, deadline);
        }
    }

    @Test
    void charactersTakeTenBitTimesEachOnACumulativeSchedule() throws Exception {
        FakeTime time = new FakeTime();
        WirePacer pacer = new WirePacer(time, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long start = time.now;

        pacer.write(out, new byte[300], 9600);

        assertThat(out.size()).isEqualTo(300);
        assertThat(time.now - start).isEqualTo(300L * 10 * 1_000_000_000L / 9600); // 312.5 ms exactly
        assertThat(time.deadlines).hasSize(300);
        // every byte is due at start + n * 10/9600 s, not at "previous + rounded step"
        assertThat(time.deadlines.get(2)).isEqualTo(start + 3L * 10 * 1_000_000_000L / 9600);
        assertThat(WirePacer.transmissionNanos(7, 300)).isEqualTo(233_333_333L);
    }

    @Test
    void consecutiveWritesContinueTheScheduleAndABaudChangeRestartsIt() throws Exception {
        FakeTime time = new FakeTime();
        WirePacer pacer = new WirePacer(time, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long start = time.now;

        pacer.write(out, new byte[1], 300);
        pacer.write(out, new byte[2], 300);
        assertThat(time.now - start).isEqualTo(100_000_000L); // 3 chars at 300 baud

        pacer.pause(Duration.ofMillis(200));
        long afterPause = time.now;
        assertThat(afterPause - start).isEqualTo(300_000_000L);
        pacer.write(out, new byte[48], 4800);
        assertThat(time.now - afterPause).isEqualTo(100_000_000L); // 48 chars at 4800 baud
    }

    @Test
    void disabledPacingNeverWaits() throws Exception {
        FakeTime time = new FakeTime();
        WirePacer pacer = new WirePacer(time, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pacer.write(out, new byte[100], 300);
        assertThat(out.size()).isEqualTo(100);
        assertThat(time.deadlines).isEmpty();
    }

    @Test
    void realPacedSessionUsesTheFleetTimeSource() throws Exception {
        FakeTime time = new FakeTime();
        SimulatedMeter m1 = MeterFixture.meter("m1").reactionTime(Duration.ofMillis(200)).build();
        try (MeterFleet fleet = MeterFleet.builder().add(m1, 0).timeSource(time).start();
                RawClient client = new RawClient(fleet.tcpPort("m1"))) {
            long start = time.now;
            client.send("/?!\r\n");
            String ident = client.readLine();
            // the request's own wire time (5 characters at 300 baud), the reaction time, then the identification
            assertThat(time.now - start).isEqualTo(WirePacer.transmissionNanos(5, 300) + 200_000_000L
                    + WirePacer.transmissionNanos(ident.length(), 300));
        }
    }
}
