// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.discovery.MeterProposal;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.meter.MeterReadout;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.simulator.dlms.SimClock;
import org.metergate.testing.BundleManifests;

/** The factory other modules' tests use, against the DLMS simulator, and that the bundle keeps it to itself. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DlmsDriversTest {

    @TempDir
    Path dataDir;
    @TempDir
    Path stateDir;

    private DlmsSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void aDriverMadeHereReadsTheSimulatedMeterWithItsKeys() throws Exception {
        sim = DlmsSimulator.builder().count(1).seed(11).stateDir(stateDir)
                .clock(SimClock.frozenAt(Instant.parse("2026-03-02T10:07:00Z"))).start();
        DlmsMeter meter = sim.meters().get(0);

        CosemMeter driver = DlmsDrivers.tcp("m1", meter.wrapperPort(), meter.config().authenticationKey(),
                meter.config().encryptionKey(), dataDir, Map.of("retries", 0));

        assertThat(driver.id()).isEqualTo("m1");
        MeterReadout readout;
        try (CosemSession session = driver.open()) {
            readout = session.readRegisters();
        }
        assertThat(readout.readings()).anySatisfy(r -> assertThat(r.obis().toString()).isEqualTo("1-0:1.8.0*255"));
        // invocation counters are kept under the data directory, as in the gateway
        assertThat(dataDir.resolve("dlms-counters")).isDirectory();
    }

    @Test
    void theProbeMadeHereProposesTheSimulatedMetersConfiguration() throws Exception {
        sim = DlmsSimulator.builder().count(1).seed(12).stateDir(stateDir)
                .clock(SimClock.frozenAt(Instant.parse("2026-03-02T10:07:00Z"))).start();
        DlmsMeter meter = sim.meters().get(0);

        MeterProposal proposal = DlmsDrivers.probe().probe(LinkAddress.tcp("127.0.0.1", meter.wrapperPort()),
                Duration.ofSeconds(3)).orElseThrow();

        assertThat(proposal.protocol()).isEqualTo("DLMS/COSEM");
        assertThat(proposal.factoryPid()).isEqualTo("org.metergate.dlms.meter");
        assertThat(proposal.identification()).contains(meter.config().serial());
    }

    @Test
    void unknownSettingsWrongTypesAndSettingsThatCannotWorkAreRefusedByName() {
        byte[] key = new byte[16];
        assertThatThrownBy(() -> DlmsDrivers.tcp("m1", 4059, key, key, dataDir, Map.of("responseTimeout", 100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'responseTimeout' is not a setting")
                .hasMessageContaining("responseTimeoutMs");
        assertThatThrownBy(() -> DlmsDrivers.tcp("m1", 4059, key, key, dataDir, Map.of("retries", "2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setting retries must be int");
        assertThatThrownBy(() -> DlmsDrivers.tcp("m1", 4059, key, key, dataDir, Map.of("tcpFraming", "SMOKE")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SMOKE");
    }

    @Test
    void theBundleExportsNeitherTheFactoryNorTheInternals() throws Exception {
        BundleManifests.assertExportsNothing("org.metergate.dlms.embedded", "org.metergate.dlms.internal");
    }
}
