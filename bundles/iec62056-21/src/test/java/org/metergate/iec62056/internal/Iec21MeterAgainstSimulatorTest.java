// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.metergate.iec62056.internal.TestConfigs.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterSession;
import org.metergate.api.meter.Reading;
import org.metergate.simulator.Fault;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.ProtocolMode;
import org.metergate.simulator.SimulatedMeter;

/** The real driver stack (j62056 → jrxtx-compat → serial links) against the meter simulator. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Iec21MeterAgainstSimulatorTest {

    @TempDir
    Path ptyDir;

    private MeterFleet fleet;

    @AfterEach
    void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private SimulatedMeter startMeter(Function<SimulatedMeter.Builder, SimulatedMeter.Builder> customise)
            throws Exception {
        SimulatedMeter meter = customise.apply(SimulatedMeter.builder("m1").seed(3).reactionTime(Duration.ofMillis(20)))
                .build();
        fleet = MeterFleet.builder().wireSpeed(false).ptyDirectory(ptyDir).add(meter, 0).start();
        return meter;
    }

    private Iec21Meter driver(Object... keyValues) {
        Iec21Meter meter = new Iec21Meter();
        Object[] all = new Object[keyValues.length + 2];
        all[0] = "link";
        all[1] = "tcp://127.0.0.1:" + fleet.tcpPort("m1");
        System.arraycopy(keyValues, 0, all, 2, keyValues.length);
        meter.configure(config(all), "pid");
        return meter;
    }

    private static MeterReadout read(Iec21Meter meter) throws MeterException {
        try (MeterSession session = meter.open()) {
            return session.readRegisters();
        }
    }

    private static Map<String, Reading> byObis(MeterReadout readout) {
        return readout.readings().stream().collect(Collectors.toMap(r -> r.obis().toString(), r -> r));
    }

    @Test
    void modeCReadoutOverTcpGivesConsistentTypedRegisters() throws Exception {
        SimulatedMeter sim = startMeter(b -> b.protocolMode(ProtocolMode.C).maxBaudRate(9600));

        MeterReadout readout = read(driver());

        Map<String, Reading> values = byObis(readout);
        Reading total = values.get("1-0:1.8.0*255");
        assertThat(total.unit()).isEqualTo("kWh");
        assertThat(total.scaledValue()).isEqualByComparingTo(
                values.get("1-0:1.8.1*255").scaledValue().add(values.get("1-0:1.8.2*255").scaledValue()));
        assertThat(values.get("1-0:32.7.0*255").unit()).isEqualTo("V");
        assertThat(values.get("1-0:96.1.0*255").value()).isEqualByComparingTo(new BigDecimal(sim.serialNumber()));
        assertThat(readout.identification()).contains(sim.manufacturer());
        assertThat(sim.counters().readoutsCompleted()).isEqualTo(1);
    }

    @Test
    void modesAAndBAreReadToo() throws Exception {
        startMeter(b -> b.protocolMode(ProtocolMode.A));
        assertThat(read(driver()).readings()).isNotEmpty();
        fleet.close();
        startMeter(b -> b.protocolMode(ProtocolMode.B).maxBaudRate(4800));
        assertThat(read(driver()).readings()).isNotEmpty();
    }

    @Test
    void registersGrowBetweenReads() throws Exception {
        startMeter(b -> b);
        Iec21Meter meter = driver();
        BigDecimal first = byObis(read(meter)).get("1-0:1.8.0*255").scaledValue();
        BigDecimal second = byObis(read(meter)).get("1-0:1.8.0*255").scaledValue();
        assertThat(second).isGreaterThanOrEqualTo(first);
    }

    @Test
    void deviceAddressSelectsTheMeter() throws Exception {
        SimulatedMeter sim = startMeter(b -> b.deviceAddress("4711"));

        assertThat(read(driver("deviceAddress", "4711")).readings()).isNotEmpty();
        assertThatThrownBy(() -> read(driver("deviceAddress", "9999", "timeoutMs", 600)))
                .isInstanceOfSatisfying(MeterException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_ANSWER))
                .hasMessageContaining("device address '9999'");
        assertThat(sim.counters().readoutsCompleted()).isEqualTo(1);
    }

    @Test
    void corruptBlockCheckIsRejected() throws Exception {
        SimulatedMeter sim = startMeter(b -> b);
        sim.injectFault(Fault.CORRUPT_BCC);

        assertThatThrownBy(() -> read(driver()))
                .isInstanceOfSatisfying(MeterException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CHECKSUM))
                .hasMessageContaining("block check character");
    }

    @Test
    void silentMeterIsNoAnswerWithAHint() throws Exception {
        SimulatedMeter sim = startMeter(b -> b);
        sim.injectFault(Fault.SILENT);

        assertThatThrownBy(() -> read(driver("timeoutMs", 500)))
                .isInstanceOfSatisfying(MeterException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_ANSWER))
                .hasMessageContaining("no answer from meter m1").hasMessageContaining("optical probe");
    }

    @Test
    void truncatedReadoutGivesNoValues() throws Exception {
        SimulatedMeter sim = startMeter(b -> b);
        sim.injectFault(Fault.TRUNCATED_BLOCK);

        assertThatThrownBy(() -> read(driver("timeoutMs", 500)))
                .isInstanceOfSatisfying(MeterException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
                .hasMessageContaining("stopped answering in the middle of the readout");
        sim.clearFaults();
        assertThat(read(driver()).readings()).isNotEmpty();
    }

    @Test
    void closedPortIsLinkUnavailable() throws Exception {
        startMeter(b -> b);
        int port = fleet.tcpPort("m1");
        fleet.close();
        fleet = null;
        Iec21Meter meter = new Iec21Meter();
        meter.configure(config("link", "127.0.0.1:" + port), "pid");

        assertThatThrownBy(() -> read(meter)).isInstanceOfSatisfying(MeterException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.LINK_UNAVAILABLE)).hasMessageContaining("cannot open");
    }

    @Test
    void unknownSerialPortIsLinkUnavailable() {
        Iec21Meter meter = new Iec21Meter();
        meter.configure(config("link", "/dev/ttyMETERGATE-NONE"), "pid");

        assertThatThrownBy(() -> read(meter)).isInstanceOfSatisfying(MeterException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.LINK_UNAVAILABLE)).hasMessageContaining("/dev/ttyMETERGATE-NONE");
    }

    @Test
    void oneSessionAtATimePerMeter() throws Exception {
        startMeter(b -> b);
        Iec21Meter meter = driver();
        try (MeterSession first = meter.open()) {
            assertThatThrownBy(meter::open).isInstanceOf(MeterException.class).hasMessageContaining("already being read");
        }
        assertThat(read(meter).readings()).isNotEmpty();
    }

    @Test
    void modeCReadoutOverAPseudoTerminal() throws Exception {
        assumeThat(MeterFleet.ptySupported()).as("socat installed").isTrue();
        SimulatedMeter sim = startMeter(b -> b.maxBaudRate(9600));
        Path pty = fleet.ptyPath("m1").orElseThrow();
        Iec21Meter meter = new Iec21Meter();
        meter.configure(config("link", pty.toString()), "pid");

        long launchesBeforeFirstSession = fleet.ptyLaunches("m1");
        MeterReadout first = read(meter);
        assertThat(byObis(first)).containsKey("1-0:1.8.0*255");
        // a second session on the same pty path works too, once socat has been restarted behind it
        assertThat(fleet.awaitPtyReady("m1", launchesBeforeFirstSession, Duration.ofSeconds(10)))
                .as("pty bridge replaced after the first session").isTrue();
        assertThat(read(meter).readings()).isNotEmpty();
        assertThat(sim.counters().readoutsCompleted()).isEqualTo(2);
    }
}
