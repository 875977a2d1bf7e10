// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.metergate.simulator.BaudRates;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.ProtocolMode;
import org.metergate.simulator.SimulatedMeter;
import org.metergate.simulator.model.ModelSettings;
import org.metergate.simulator.model.RegisterStateStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code metergate-sim meters}: N IEC 62056-21 meters on TCP ports and, optionally, pseudo-terminals. */
@Command(name = "meters", mixinStandardHelpOptions = true,
        description = { "Runs IEC 62056-21 meters m1..mN, each on a TCP port on 127.0.0.1 and optionally on a pty.",
                "Prints one line per meter, then runs until Ctrl-C / SIGTERM or --for seconds." })
final class MetersCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--count", defaultValue = "1", description = "Number of meters (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--base-port", defaultValue = "6101",
            description = "TCP port of m1; m2 gets the next one, and so on. 0 = free ports (default ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--pty-dir", description = "Also offer each meter on a pty at DIR/<meterId> (needs socat).")
    Path ptyDir;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of serial numbers and consumption (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--speed-up", defaultValue = "1",
            description = "Simulated time runs this many times faster than real time (default ${DEFAULT-VALUE}).")
    double speedUp;

    @Option(names = "--mode", defaultValue = "C", description = "IEC 62056-21 protocol mode: A, B or C (default ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--max-baud", defaultValue = "9600",
            description = "Highest baud rate offered: 300..19200 (default ${DEFAULT-VALUE}).")
    int maxBaud;

    @Option(names = "--reaction-ms", defaultValue = "200",
            description = "Reaction time before each answer in ms (default ${DEFAULT-VALUE}, the standard's minimum).")
    long reactionMillis;

    @Option(names = "--manufacturer", defaultValue = "MGS", description = "Three-letter manufacturer code (default ${DEFAULT-VALUE}).")
    String manufacturer;

    @Option(names = "--fault", description = "Inject a fault at start: " + FaultSpec.SYNTAX + ". Repeatable.")
    List<String> faults = new ArrayList<>();

    @Option(names = "--state-dir", description = "Keep register totals in DIR/<meterId>.state and continue from them.")
    Path stateDir;

    @Option(names = "--zone", description = "Meter time zone (default: the system's).")
    ZoneId zone = ZoneId.systemDefault();

    @Option(names = "--no-wire-speed", description = "Send as fast as possible instead of at the baud rate.")
    boolean noWireSpeed;

    @Option(names = "--for", paramLabel = "SECONDS", description = "Stop after this many seconds.")
    Long runSeconds;

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<SimulatedMeter> meters = buildMeters();
        RegisterStateStore store = stateDir == null ? null : new RegisterStateStore(stateDir);
        MeterFleet.Builder builder = MeterFleet.builder().ptyDirectory(ptyDir).wireSpeed(!noWireSpeed).stateStore(store);
        for (int i = 0; i < meters.size(); i++) {
            builder.add(meters.get(i), basePort == 0 ? 0 : basePort + i);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (ptyDir != null && !MeterFleet.ptySupported()) {
            spec.commandLine().getErr().println("warning: socat is not installed; no pseudo-terminals "
                    + "(install it with: apt-get install socat)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        MeterFleet fleet;
        try {
            fleet = builder.start();
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("metergate-sim meters: " + e.getMessage());
            return 1;
        }
        try {
            Thread hook = new Thread(() -> {
                fleet.close();
                stopped.countDown();
            }, "metergate-sim-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            for (SimulatedMeter meter : fleet.meters()) {
                out.printf(Locale.ROOT, "%s serial=%s tcp=127.0.0.1:%d pty=%s mode=%s max-baud=%d faults=%s%n",
                        meter.id(), meter.serialNumber(), fleet.tcpPort(meter.id()),
                        fleet.ptyPath(meter.id()).map(Path::toString).orElse("-"), meter.protocolMode(),
                        meter.maxBaudRate(), meter.faults().isEmpty() ? "-" : meter.faults());
            }
            out.flush();
            if (runSeconds != null) {
                stopped.await(runSeconds, TimeUnit.SECONDS);
            } else {
                stopped.await();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        } finally {
            fleet.close();
        }
        return 0;
    }

    private List<SimulatedMeter> buildMeters() {
        if (count < 1 || count > 1000) {
            throw new ParameterException(spec.commandLine(), "--count must be 1..1000, got " + count);
        }
        if (basePort != 0 && (basePort < 1 || basePort + count - 1 > 65535)) {
            throw new ParameterException(spec.commandLine(),
                    "--base-port " + basePort + " with --count " + count + " runs past port 65535");
        }
        ProtocolMode protocolMode;
        try {
            protocolMode = ProtocolMode.valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--mode must be A, B or C, got '" + mode + "'");
        }
        ModelSettings settings;
        try {
            BaudRates.codeOf(maxBaud);
            settings = new ModelSettings(seed, speedUp, zone, Clock.systemUTC(), null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        RegisterStateStore store = stateDir == null ? null : new RegisterStateStore(stateDir);
        List<SimulatedMeter> meters = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String id = "m" + i;
            try {
                meters.add(SimulatedMeter.builder(id)
                        .manufacturer(manufacturer)
                        .protocolMode(protocolMode)
                        .maxBaudRate(maxBaud)
                        .reactionTime(Duration.ofMillis(reactionMillis))
                        .model(settings)
                        .restoredState(store == null ? null : store.load(id).orElse(null))
                        .build());
            } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        for (String text : faults) {
            FaultSpec fault;
            try {
                fault = FaultSpec.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--fault: " + e.getMessage());
            }
            SimulatedMeter target = meters.stream().filter(m -> m.id().equals(fault.meterId())).findFirst()
                    .orElseThrow(() -> new ParameterException(spec.commandLine(), "--fault " + text + ": no meter '"
                            + fault.meterId() + "'; meters are m1..m" + count));
            fault.applyTo(target);
        }
        return meters;
    }
}
