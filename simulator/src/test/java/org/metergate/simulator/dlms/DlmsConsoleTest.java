// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runtime command console of the CLI. */
@Timeout(30)
class DlmsConsoleTest {

    @Test
    void lists_meters_with_keys_and_switches_faults_at_runtime() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        try (DlmsSimulator sim = DlmsSimulator.builder().count(2).seed(5)
                .clock(SimClock.frozenAt(Instant.parse("2026-03-02T12:00:00Z"))).configure(c -> c.controlMode(2))
                .start()) {
            DlmsConsole console = new DlmsConsole(sim, out);
            console.printMeters();
            boolean quit = console.run(new BufferedReader(new StringReader(String.join("\n",
                    "fault 10000002 silent on", "fault 10000002 refuse on", "fault 10000001 fcs 3",
                    "fault 10000009 drop 1", "fault 10000001 bogus on", "button 10000001", "status", "quit",
                    "status"))));

            String text = buffer.toString(StandardCharsets.UTF_8);
            assertThat(quit).isTrue();
            assertThat(text).contains("meter 10000001", "system title 4D47530000989681",
                    sim.meters().get(0).config().systemTitleHex(),
                    HexFormat.of().withUpperCase().formatHex(sim.meters().get(1).config().encryptionKey()));
            assertThat(sim.meters().get(1).faults().noAnswer()).isTrue();
            assertThat(sim.meters().get(1).faults().refuseAssociation()).isTrue();
            assertThat(sim.meters().get(0).faults().takeCorruptFrame()).isTrue();
            assertThat(text).contains("no meter with serial 10000009", "unknown fault 'bogus'");
            assertThat(sim.meters().get(0).firmware().relayConnected()).isFalse(); // mode 2 allows manual disconnect
            assertThat(text).contains("10000001  wrapper " + sim.meters().get(0).wrapperPort());
        }
    }
}
