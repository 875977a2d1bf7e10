// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code simulator dlms}: runs DLMS/COSEM meters until interrupted, with runtime control on stdin. */
@Command(name = "dlms", mixinStandardHelpOptions = true,
        description = { "Runs simulated DLMS/COSEM prepaid meters (TCP wrapper, optional HDLC over TCP and ptys).",
                "Prints ports, system titles and the simulator's test keys; then reads commands from stdin "
                        + "(type help)." })
public final class DlmsCommand implements Callable<Integer> {

    @Option(names = "--count", defaultValue = "1",
            description = "number of meters (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--base-port", defaultValue = "4059",
            description = "first TCP port: meter i gets base+2i (wrapper) and base+2i+1 (HDLC); 0 = free ports "
                    + "(default ${DEFAULT-VALUE})")
    int basePort;

    @Option(names = "--seed", defaultValue = "1",
            description = "consumption model and key seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--speed-up", defaultValue = "1",
            description = "simulated time runs this many times faster (default ${DEFAULT-VALUE})")
    double speedUp;

    @Option(names = "--state-dir", defaultValue = "dlms-state",
            description = "state files (credit, relay, used tokens, counters) and pty links (default ${DEFAULT-VALUE})")
    Path stateDir;

    @Option(names = "--hdlc",
            description = "also listen for HDLC frames over TCP")
    boolean hdlc;

    @Option(names = "--pty",
            description = "also offer each meter's HDLC line as a pseudo-terminal (needs socat)")
    boolean pty;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "address to listen on (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--test-tokens",
            description = "accept unsigned test tokens MGTEST:<id>:<serial>:<amount>")
    boolean testTokens;

    @Option(names = "--headend-key", paramLabel = "KID=PEMFILE",
            description = "verify signed (JWS ES256) credit tokens with this head-end public key; repeatable")
    Map<String, Path> headendKeys = new LinkedHashMap<>();

    @Option(names = "--tariff", defaultValue = "25",
            description = "minor currency units per kWh (default ${DEFAULT-VALUE})")
    long tariff;

    @Option(names = "--initial-credit", defaultValue = "2000",
            description = "credit of a new meter, minor units (default ${DEFAULT-VALUE})")
    long initialCredit;

    @Option(names = "--low-credit", defaultValue = "500",
            description = "low credit threshold of a new meter, minor units (default ${DEFAULT-VALUE})")
    long lowCredit;

    @Option(names = "--zone", defaultValue = "Z",
            description = "meter local time as an offset from UTC, e.g. +02:00 (tariff hours, daily load shape, "
                    + "friendly-credit window; default ${DEFAULT-VALUE})")
    String zone;

    @Option(names = "--control-mode", defaultValue = "6",
            description = "disconnect control mode 0..6 (default ${DEFAULT-VALUE})")
    int controlMode;

    @Option(names = "--friendly-window", defaultValue = "18:00-08:00",
            description = "daily window without disconnection, empty for none (default ${DEFAULT-VALUE})")
    String friendlyWindow;

    @Option(names = "--friendly-days", defaultValue = "SAT,SUN",
            description = "days without disconnection, empty for none (default ${DEFAULT-VALUE})")
    String friendlyDays;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        DlmsSimulator.Builder builder = configuredBuilder();
        DlmsSimulator simulator;
        try {
            simulator = builder.start();
        } catch (IOException | RuntimeException e) {
            // busy port, damaged state file, socat missing: one line a developer can act on
            spec.commandLine().getErr().println("metergate-sim dlms: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "dlms-simulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        DlmsConsole console = new DlmsConsole(simulator, out);
        console.printMeters();
        out.println("speed-up " + speedUp + ", state in " + stateDir.toAbsolutePath()
                + "; type help, or Ctrl-C to stop");
        boolean quit = console.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        if (quit) {
            Runtime.getRuntime().removeShutdownHook(hook);
            simulator.close();
            return 0;
        }
        stopped.await(); // stdin closed (running in the background): serve until interrupted
        return 0;
    }

    /** Checks the options up front so that mistakes come back as usage errors, before any port is opened. */
    DlmsSimulator.Builder configuredBuilder() {
        try {
            FriendlyCreditPolicy friendly = FriendlyCreditPolicy.parse(friendlyWindow, friendlyDays);
            InetAddress address = InetAddress.getByName(bind);
            if (lowCredit < 0) {
                throw new IllegalArgumentException("--low-credit must be >= 0 minor units, got " + lowCredit);
            }
            ZoneOffset offset = zoneOffset();
            DlmsMeterConfig.Builder probe = DlmsMeterConfig.builder("1").tariffMinorPerKwh(tariff)
                    .controlMode(controlMode).friendlyCredit(friendly);
            probe.build();
            if (speedUp < 0 || Double.isNaN(speedUp) || Double.isInfinite(speedUp)) {
                throw new IllegalArgumentException("--speed-up must be a number >= 0, got " + speedUp);
            }
            Map<String, ECPublicKey> keys = new LinkedHashMap<>();
            for (Map.Entry<String, Path> key : headendKeys.entrySet()) {
                try {
                    keys.put(key.getKey(), JwsTokenVerifier.readPublicKey(Files.readString(key.getValue())));
                } catch (IOException | IllegalArgumentException e) {
                    throw new IllegalArgumentException("--headend-key " + key.getKey() + "=" + key.getValue() + ": "
                            + e.getMessage(), e);
                }
            }
            TokenVerifier verifier = keys.isEmpty() ? null
                    : new JwsTokenVerifier(keys, null, Clock.systemUTC(), Duration.ofMinutes(5));
            return DlmsSimulator.builder().count(count).basePort(basePort).seed(seed).speedUp(speedUp)
                    .stateDir(stateDir).hdlc(hdlc).pty(pty).bindAddress(address)
                    .configure(c -> c.acceptTestTokens(testTokens).tokenVerifier(verifier).tariffMinorPerKwh(tariff)
                            .initialCreditMinor(initialCredit).lowCreditThresholdMinor(lowCredit).zone(offset)
                            .controlMode(controlMode).friendlyCredit(friendly));
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private ZoneOffset zoneOffset() {
        try {
            return ZoneOffset.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("--zone must be an offset from UTC such as +02:00, -05:00 or Z, got '"
                    + zone + "'", e);
        }
    }
}
