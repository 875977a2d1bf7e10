// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Bundle;

class DistributionBootsIT {

    @Test
    void everyShippedJarIsAnOsgiBundleAndNoRxtxShips() throws Exception {
        Path bundleDir = Path.of(System.getProperty(GatewayUnderTest.DISTRO_PROPERTY, "target/metergate"), "bundle");
        List<String> notBundles = new ArrayList<>();
        List<String> names;
        try (Stream<Path> jars = Files.list(bundleDir)) {
            names = jars.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        for (String name : names) {
            try (JarFile jar = new JarFile(bundleDir.resolve(name).toFile())) {
                if (jar.getManifest() == null || jar.getManifest().getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                    notBundles.add(name);
                }
            }
        }
        assertThat(notBundles).as("jars in bundle/ without Bundle-SymbolicName").isEmpty();
        assertThat(names).noneMatch(n -> n.toLowerCase().contains("rxtx") && !n.contains("compat"));
        assertThat(names).anyMatch(n -> n.startsWith("metergate-log-"))
                .anyMatch(n -> n.startsWith("org.apache.felix.scr-"))
                .anyMatch(n -> n.startsWith("sqlite-jdbc-"));
    }

    @Test
    @Timeout(120)
    void bootsWithEveryBundleActiveAndEveryComponentSatisfied() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.copyOfDistribution()) {
            gateway.start();

            List<String> notActive = new ArrayList<>();
            for (Bundle bundle : gateway.bundles()) {
                int expected = GatewayUnderTest.isFragment(bundle) ? Bundle.RESOLVED : Bundle.ACTIVE;
                if (bundle.getBundleId() != 0 && bundle.getState() != expected) {
                    notActive.add(bundle.getSymbolicName() + " " + GatewayUnderTest.stateName(bundle.getState()));
                }
            }
            assertThat(notActive).as("bundles not ACTIVE (fragments: not RESOLVED)").isEmpty();
            assertThat(gateway.bundleStates()).containsKeys("org.metergate.log", "org.apache.felix.gogo.shell");

            // SCR activates asynchronously: give it a bounded moment to settle before judging
            List<GatewayUnderTest.ComponentState> offenders = new ArrayList<>();
            try {
                GatewayUnderTest.awaitTrue("all DS components satisfied", Duration.ofSeconds(20), () -> {
                    try {
                        offenders.clear();
                        gateway.componentStates().stream()
                                .filter(c -> !c.isHealthy() && !c.state.equals("NO_CONFIGURATION"))
                                .forEach(offenders::add);
                        return offenders.isEmpty();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            } catch (AssertionError timedOut) {
                // fall through: the assertion below lists the offenders
            }
            assertThat(offenders).as("DS components neither SATISFIED nor ACTIVE").isEmpty();
            assertThat(gateway.componentStates()).extracting(c -> c.component)
                    .contains("org.metergate.log.internal.LogWriterComponent");

            assertThat(gateway.execute("lb -s")).contains("org.metergate.log").containsPattern("\\|\\s*2\\|org.apache.felix.gogo.shell");
            GatewayUnderTest.awaitTrue("data/log/metergate.log written", Duration.ofSeconds(10),
                    () -> Files.exists(gateway.dataDir().resolve("log/metergate.log")));
        }
    }
}
