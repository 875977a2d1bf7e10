// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.discovery.MeterProbe;
import org.metergate.api.discovery.MeterProposal;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.link.PortInfo;
import org.metergate.dlms.embedded.DlmsDrivers;
import org.metergate.iec62056.embedded.Iec21Drivers;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.SimulatedMeter;

/** Discovery with the real probes against simulated meters on a pty and on TCP, and links where nothing answers. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiscoveryTest {

    static final Duration ANSWER = Duration.ofMillis(600);

    @TempDir
    Path dir;

    private final InMemoryConfigurationAdmin configAdmin = new InMemoryConfigurationAdmin();
    private final Map<String, String> configuredLinks = new HashMap<>();
    private final List<String> logged = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private MeterFleet fleet;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    private Discovery discovery(ListedPorts links, List<MeterProbe> probes, Duration probeLimit) {
        Discovery discovery = new Discovery(() -> links, () -> probes, () -> configuredLinks,
                new MeterConfigurations(() -> configAdmin.admin), ANSWER, probeLimit, Clock.systemUTC(),
                logged::add);
        closing.add(discovery);
        return discovery;
    }

    private static List<MeterProbe> realProbes(ListedPorts links) {
        return List.of(DlmsDrivers.probe(), Iec21Drivers.probe(links));
    }

    private void startFleet(SimulatedMeter... meters) throws Exception {
        MeterFleet.Builder builder = MeterFleet.builder().wireSpeed(false).ptyDirectory(dir.resolve("pty"));
        for (SimulatedMeter meter : meters) {
            builder.add(meter, 0);
        }
        fleet = builder.start();
    }

    private static SimulatedMeter meter(String id, String serial) {
        return SimulatedMeter.builder(id).serialNumber(serial).reactionTime(Duration.ofMillis(20)).build();
    }

    static DiscoveryProgress awaitFinished(Discovery discovery) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (discovery.progress().running()) {
            assertThat(System.nanoTime()).as("discovery still running").isLessThan(deadline);
            Thread.sleep(20);
        }
        return discovery.progress();
    }

    @Test
    void findsMetersOnPtysAndSerialServersAndSaysWhereNoneAnswered() throws Exception {
        assumeThat(SilentPty.supported()).as("socat installed").isTrue();
        startFleet(meter("m1", "11111111"), meter("m2", "22222222"));
        Path m1Pty = fleet.ptyPath("m1").orElseThrow();
        SilentPty empty = new SilentPty(dir.resolve("empty"));
        closing.add(empty);
        configuredLinks.put("/dev/ttyConfigured", "kitchen");
        ListedPorts links = new ListedPorts(List.of(new PortInfo(m1Pty.toString(), "simulated meter", false),
                new PortInfo(empty.path.toString(), "nothing attached", false),
                new PortInfo("/dev/ttyBusy", "held elsewhere", true),
                new PortInfo("/dev/ttyConfigured", "configured meter", false)));
        Discovery discovery = discovery(links, realProbes(links), Discovery.probeLimitFor(ANSWER));
        LinkAddress m2 = LinkAddress.tcp("127.0.0.1", fleet.tcpPort("m2"));

        assertThat(discovery.start(List.of(m2))).isEmpty();
        DiscoveryProgress done = awaitFinished(discovery);

        assertThat(done.done()).isEqualTo(done.total()).isEqualTo(5);
        assertThat(done.step()).isEmpty();
        Map<String, DiscoveryFinding> byLink = new HashMap<>();
        done.findings().forEach(f -> byLink.put(f.link().toString(), f));
        assertThat(done.findings()).extracting(DiscoveryFinding::number).containsExactly(1, 2, 3, 4, 5);
        assertThat(byLink.get("/dev/ttyBusy").outcome()).isEqualTo("not probed: another program holds the port");
        assertThat(byLink.get("/dev/ttyConfigured").outcome()).isEqualTo("not probed: meter kitchen uses it");
        assertThat(byLink.get(empty.path.toString()).proposal()).isNull();
        assertThat(byLink.get(empty.path.toString()).outcome())
                .isEqualTo("no meter answered (tried IEC 62056-21 and DLMS/COSEM)");
        MeterProposal onPty = byLink.get(m1Pty.toString()).proposal();
        assertThat(onPty.protocol()).isEqualTo("IEC 62056-21");
        assertThat(onPty.identification()).endsWith("11111111");
        assertThat(onPty.settings()).containsEntry("link", m1Pty.toString());
        MeterProposal onTcp = byLink.get(m2.toString()).proposal();
        assertThat(onTcp.identification()).endsWith("22222222");
        assertThat(logged).containsExactly("discovery finished: 5 links, 2 meters found");
    }

    @Test
    void acceptCreatesTheFactoryConfigurationOnceUnderAFreeMeterId() throws Exception {
        startFleet(meter("m1", "33333333"));
        ListedPorts links = new ListedPorts(List.of());
        Discovery discovery = discovery(links, realProbes(links), Discovery.probeLimitFor(ANSWER));
        LinkAddress server = LinkAddress.tcp("127.0.0.1", fleet.tcpPort("m1"));
        assertThat(discovery.start(List.of(server))).isEmpty();
        DiscoveryFinding found = awaitFinished(discovery).findings().get(0);
        String proposedId = found.proposal().meterId();
        // a meter of that id is configured already (another link): the accepted one gets the next free id
        Hashtable<String, Object> other = new Hashtable<>(Map.of("meterId", proposedId, "link", "/dev/ttyUSB9"));
        configAdmin.admin.getFactoryConfiguration("org.metergate.iec62056.meter", "other", "?").update(other);

        String accepted = discovery.accept(1);

        assertThat(accepted).isEqualTo(proposedId + "-2");
        InMemoryConfigurationAdmin.Stored stored = configAdmin.get("org.metergate.iec62056.meter~" + accepted);
        assertThat(stored.factoryPid).isEqualTo("org.metergate.iec62056.meter");
        assertThat(stored.properties).containsEntry("meterId", accepted).containsEntry("link", server.toString())
                .containsEntry("initialBaud", 300).containsEntry("fixedBaud", false);
        assertThat(discovery.progress().findings().get(0).acceptedAs()).isEqualTo(accepted);
        assertThatThrownBy(() -> discovery.accept(1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("finding 1 was already accepted as meter " + accepted);
        assertThatThrownBy(() -> discovery.accept(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("there is no finding 2; the findings are numbered 1 to 1");
        assertThat(logged).contains("discovery: meter " + accepted + " on " + server + " configured "
                + "(org.metergate.iec62056.meter~" + accepted + ")");
    }

    @Test
    void inTheGatewayAnAcceptedMeterBecomesAFileInConf() throws Exception {
        startFleet(meter("m1", "55555555"));
        Path conf = java.nio.file.Files.createDirectories(dir.resolve("conf"));
        // a hand-written meter file already uses the proposed id; ConfigAdmin has not seen it yet
        String proposedId = "MGSMGSIM55555555";
        java.nio.file.Files.writeString(conf.resolve("org.metergate.iec62056.meter-kitchen.cfg"),
                "meterId=" + proposedId + "\nlink=/dev/ttyUSB3\n");
        ListedPorts links = new ListedPorts(List.of());
        Discovery discovery = new Discovery(() -> links, () -> realProbes(links), Map::of,
                new MeterConfigurations(() -> configAdmin.admin, conf, Clock.systemUTC()), ANSWER,
                Discovery.probeLimitFor(ANSWER), Clock.systemUTC(), logged::add);
        closing.add(discovery);
        LinkAddress server = LinkAddress.tcp("127.0.0.1", fleet.tcpPort("m1"));
        discovery.start(List.of(server));
        assertThat(awaitFinished(discovery).findings().get(0).proposal().meterId()).isEqualTo(proposedId);

        assertThat(discovery.accept(1)).isEqualTo(proposedId + "-2");

        Path file = conf.resolve("org.metergate.iec62056.meter-" + proposedId + "-2.cfg");
        java.util.Properties written = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(file)) {
            written.load(in);
        }
        assertThat(written).containsEntry("meterId", proposedId + "-2").containsEntry("link", server.toString())
                .containsEntry("initialBaud", "300").containsEntry("fixedBaud", "false")
                .containsEntry("deviceAddress", "");
        assertThat(java.nio.file.Files.readString(file)).startsWith("# IEC 62056-21 meter found by discovery on "
                + server + " (MGS5MGSIM55555555), accepted ");
        assertThat(configAdmin.configurations).isEmpty(); // File Install applies the file, not the console
        try (var left = java.nio.file.Files.list(conf)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "org.metergate.iec62056.meter-kitchen.cfg", file.getFileName().toString());
        }
        assertThat(logged).contains("discovery: meter " + proposedId + "-2 on " + server + " configured (" + file + ")");
    }

    @Test
    void aConfDirectoryTheGatewayCannotWriteIsExplained() throws Exception {
        startFleet(meter("m1", "66666666"));
        Path notADirectory = java.nio.file.Files.writeString(dir.resolve("conf"), "a file where conf/ should be");
        ListedPorts links = new ListedPorts(List.of());
        Discovery discovery = new Discovery(() -> links, () -> realProbes(links), Map::of,
                new MeterConfigurations(() -> configAdmin.admin, notADirectory, Clock.systemUTC()), ANSWER,
                Discovery.probeLimitFor(ANSWER), Clock.systemUTC(), logged::add);
        closing.add(discovery);
        discovery.start(List.of(LinkAddress.tcp("127.0.0.1", fleet.tcpPort("m1"))));
        awaitFinished(discovery);

        assertThatThrownBy(() -> discovery.accept(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the gateway cannot write to " + notADirectory)
                .hasMessageContaining("as root in " + notADirectory.resolve(
                        "org.metergate.iec62056.meter-MGSMGSIM66666666.cfg"));
        assertThat(discovery.progress().findings().get(0).acceptedAs()).isNull();
        assertThat(configAdmin.configurations).isEmpty();
    }

    @Test
    void aLinkWithoutMeterCannotBeAcceptedAndNoConfigAdminIsExplained() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
            ListedPorts links = new ListedPorts(List.of());
            Discovery discovery = new Discovery(() -> links, () -> realProbes(links), Map::of,
                    new MeterConfigurations(() -> null), ANSWER, Discovery.probeLimitFor(ANSWER), Clock.systemUTC(),
                    logged::add);
            closing.add(discovery);
            assertThat(discovery.start(List.of(LinkAddress.tcp("127.0.0.1", silent.getLocalPort())))).isEmpty();
            DiscoveryFinding nothing = awaitFinished(discovery).findings().get(0);
            assertThat(nothing.outcome()).startsWith("no meter answered");
            assertThatThrownBy(() -> discovery.accept(1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("finding 1 (tcp://127.0.0.1:" + silent.getLocalPort() + ") has no meter");
        }
        startFleet(meter("m1", "44444444"));
        ListedPorts links = new ListedPorts(List.of());
        Discovery withoutAdmin = new Discovery(() -> links, () -> realProbes(links), Map::of,
                new MeterConfigurations(() -> null), ANSWER, Discovery.probeLimitFor(ANSWER), Clock.systemUTC(),
                logged::add);
        closing.add(withoutAdmin);
        withoutAdmin.start(List.of(LinkAddress.tcp("127.0.0.1", fleet.tcpPort("m1"))));
        awaitFinished(withoutAdmin);
        assertThatThrownBy(() -> withoutAdmin.accept(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("ConfigAdmin is not running");
    }

    @Test
    void oneDiscoveryAtATime() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        MeterProbe waiting = new WaitingProbe(release);
        Discovery discovery = discovery(new ListedPorts(List.of()), List.of(waiting), Duration.ofMinutes(1));
        assertThat(discovery.start(List.of(LinkAddress.parse("10.9.9.9:4001")))).isEmpty();
        assertThat(discovery.progress().running()).isTrue();
        assertThat(discovery.progress().total()).isEqualTo(1);

        assertThat(discovery.start(List.of())).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("A discovery is already running (0 of 1 links done)");
        release.countDown();
        assertThat(awaitFinished(discovery).findings()).hasSize(1);
        assertThat(discovery.start(List.of())).isEmpty(); // the next one may start
        awaitFinished(discovery);
    }

    @Test
    void aProbeThatNeverReturnsIsAbandonedAndDiscoveryMovesOn() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        closing.add(never::countDown);
        Discovery discovery = discovery(new ListedPorts(List.of()), List.of(new WaitingProbe(never)),
                Duration.ofMillis(200));
        discovery.start(List.of(LinkAddress.parse("10.9.9.9:4001"), LinkAddress.parse("10.9.9.9:4002")));
        DiscoveryProgress done = awaitFinished(discovery);
        assertThat(done.findings()).extracting(DiscoveryFinding::outcome).containsOnly(
                "no meter answered (tried stuck); stuck probe gave no result within 200 ms");
    }

    @Test
    void withoutProbesNothingStarts() {
        Discovery discovery = discovery(new ListedPorts(List.of()), List.of(), Duration.ofSeconds(1));
        assertThat(discovery.start(List.of())).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("No meter driver offers discovery");
        assertThat(discovery.progress().started()).isNull();
    }

    /** A probe that waits for the test to release it, then finds nothing. */
    private static final class WaitingProbe implements MeterProbe {
        private final CountDownLatch release;

        WaitingProbe(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public String protocol() {
            return "stuck";
        }

        @Override
        public Optional<MeterProposal> probe(LinkAddress link, Duration answerTimeout) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // abandoned by discovery
            }
            return Optional.empty();
        }
    }
}
