// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import org.apache.felix.framework.FrameworkFactory;
import org.apache.felix.gogo.runtime.Reflective;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.discovery.MeterProbe;
import org.metergate.api.link.LinkService;
import org.metergate.iec62056.embedded.Iec21Drivers;
import org.metergate.simulator.MeterFleet;
import org.metergate.simulator.SimulatedMeter;
import org.metergate.testing.FelixFramework;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * The built console bundle in Felix with SCR, ConfigAdmin and File Install as in the gateway: the shell commands find
 * a simulated meter through a {@link MeterProbe} service, {@code mg:accept} writes the meter's file into conf/ and
 * File Install turns it into the factory configuration in ConfigAdmin.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiscoveryOsgiTest {

    private static final String IEC_FACTORY_PID = "org.metergate.iec62056.meter";

    @TempDir
    Path dir;

    @Test
    void shellDiscoveryConfiguresTheMeterInFelixConfigAdmin() throws Exception {
        SimulatedMeter meter = SimulatedMeter.builder("m1").serialNumber("77777777")
                .reactionTime(Duration.ofMillis(20)).build();
        Map<String, String> cfg = new HashMap<>();
        cfg.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix").toString());
        cfg.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // the API classes are shared with the test: every API package the bundle imports, at the version it asks for
        Path bundle = bundleJar();
        cfg.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, FelixFramework.apiPackages());
        cfg.put(ConsoleDirectory.DATA_DIR_PROPERTY, dir.resolve("data").toString());
        // as etc/config.properties of the distribution: File Install applies conf/ to ConfigAdmin
        Path conf = Files.createDirectories(dir.resolve("conf"));
        cfg.put("felix.fileinstall.dir", conf.toString());
        cfg.put("felix.fileinstall.poll", "100");
        cfg.put("felix.fileinstall.noInitialDelay", "true");
        cfg.put("felix.fileinstall.filter", ".*\\.cfg");
        cfg.put("org.apache.felix.http.host", "127.0.0.1");
        cfg.put("org.osgi.service.http.port", "0");
        Framework felix = new FrameworkFactory().newFramework(cfg);
        felix.start();
        try (MeterFleet fleet = MeterFleet.builder().wireSpeed(false).add(meter, 0).start()) {
            BundleContext ctx = felix.getBundleContext();
            for (String marker : List.of("org.osgi.util.function.Function", "org.osgi.util.promise.Promise",
                    "org.osgi.service.component.ComponentContext", "org.osgi.service.log.LoggerFactory",
                    "org.apache.felix.log.Activator", "org.apache.felix.cm.impl.ConfigurationManager",
                    "org.apache.felix.scr.impl.Activator", "javax.servlet.Servlet",
                    "org.apache.felix.http.jetty.ConnectorFactory", "org.apache.felix.fileinstall.ArtifactInstaller")) {
                ctx.installBundle(jarOf(marker).toUri().toString());
            }
            for (Bundle b : ctx.getBundles()) {
                b.start();
            }
            ListedPorts links = new ListedPorts(List.of());
            ctx.registerService(LinkService.class, links, null);
            ctx.registerService(MeterProbe.class, Iec21Drivers.probe(links), null);
            Bundle console = ctx.installBundle(bundle.toUri().toString());
            console.start();
            assertThat(console.getState()).isEqualTo(Bundle.ACTIVE);

            Object shell = commands(ctx);
            String server = "127.0.0.1:" + fleet.tcpPort("m1");
            assertThat(call(shell, "discover", server)).startsWith("Discovery started on 1 link");
            String shown = awaitFinished(shell);
            assertThat(shown).contains("tcp://" + server + "  IEC 62056-21 MGS5MGSIM77777777  [mg:accept 1]");

            assertThat(call(shell, "accept", "1")).startsWith("Configured meter MGSMGSIM77777777;");

            Path file = conf.resolve(IEC_FACTORY_PID + "-MGSMGSIM77777777.cfg");
            assertThat(file).exists();
            Dictionary<?, ?> stored = awaitConfiguration(ctx, IEC_FACTORY_PID);
            assertThat(String.valueOf(stored.get("felix.fileinstall.filename"))).endsWith(file.getFileName().toString());
            assertThat(stored.get("meterId")).isEqualTo("MGSMGSIM77777777");
            assertThat(stored.get("link")).isEqualTo("tcp://" + server);
            assertThat(String.valueOf(stored.get("initialBaud"))).isEqualTo("300");
            assertThat(call(shell, "discovery")).contains("[accepted as meter MGSMGSIM77777777]");
        } finally {
            felix.stop();
            felix.waitForStop(10_000);
        }
    }

    /** The service carrying the mg discovery commands, as Gogo finds it. */
    private static Object commands(BundleContext ctx) throws Exception {
        ServiceReference<?>[] refs = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (refs == null && System.nanoTime() < deadline) {
            // all references: the test's class path holds the console's classes too, so the framework would hide a
            // service registered under an internal class from the system bundle
            refs = ctx.getAllServiceReferences(null, "(&(osgi.command.scope=mg)(osgi.command.function=discover))");
            if (refs == null) {
                Thread.sleep(50);
            }
        }
        assertThat(refs).as("mg:discover registered").isNotNull().hasSize(1);
        assertThat((String[]) refs[0].getProperty("osgi.command.function"))
                .containsExactlyInAnyOrder("discover", "discovery", "accept");
        return ctx.getService(refs[0]);
    }

    /** Calls the command as Gogo does, with Gogo's own argument coercion. */
    private static String call(Object shell, String function, String... arguments) throws Exception {
        return String.valueOf(Reflective.invoke(null, shell, function, new ArrayList<>(List.of((Object[]) arguments))));
    }

    private static String awaitFinished(Object shell) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            String shown = call(shell, "discovery");
            if (shown.startsWith("Discovery finished")) {
                return shown;
            }
            assertThat(System.nanoTime()).as("discovery still running: " + shown).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /**
     * The one configuration of the factory in Felix ConfigAdmin once File Install has applied the file (bounded
     * wait), called reflectively: the ConfigAdmin API classes live inside the framework.
     */
    private static Dictionary<?, ?> awaitConfiguration(BundleContext ctx, String factoryPid) throws Exception {
        ServiceReference<?> ref = ctx.getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null)[0];
        Object admin = ctx.getService(ref);
        Object[] found = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (found == null && System.nanoTime() < deadline) {
            found = (Object[]) admin.getClass().getMethod("listConfigurations", String.class)
                    .invoke(admin, "(service.factoryPid=" + factoryPid + ")");
            if (found == null) {
                Thread.sleep(50);
            }
        }
        assertThat(found).as("configurations of " + factoryPid).isNotNull().hasSize(1);
        Method properties = found[0].getClass().getMethod("getProperties");
        properties.setAccessible(true);
        return (Dictionary<?, ?>) properties.invoke(found[0]);
    }

    private static Path jarOf(String className) throws Exception {
        return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The bundle's content as bnd left it in target/classes, manifest first. */
    private Path bundleJar() throws Exception {
        Path classes = Path.of(System.getProperty("basedir", ".")).resolve("target/classes");
        Path jar = dir.resolve("metergate-console.jar");
        Manifest mf;
        try (var in = Files.newInputStream(classes.resolve("META-INF/MANIFEST.MF"))) {
            mf = new Manifest(in);
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf);
                Stream<Path> files = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = classes.relativize(p).toString().replace('\\', '/');
                if (!name.equals("META-INF/MANIFEST.MF")) {
                    j.putNextEntry(new ZipEntry(name));
                    Files.copy(p, j);
                    j.closeEntry();
                }
            }
        }
        return jar;
    }
}
