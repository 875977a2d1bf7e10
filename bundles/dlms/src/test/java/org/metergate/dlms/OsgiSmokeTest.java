// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.cosem.CosemAttribute;
import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.discovery.MeterProbe;
import org.metergate.api.meter.Meter;
import org.metergate.api.security.MeterKeys;
import org.metergate.dlms.internal.InMemoryMeterKeys;
import org.metergate.simulator.dlms.DlmsMeter;
import org.metergate.simulator.dlms.DlmsSimulator;
import org.metergate.testing.FelixFramework;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The bundle as built resolves in Felix 7 together with jDLMS, asn1bean, Bouncy Castle and jrxtx-compat (no RXTX),
 * publishes a CosemMeter for a ConfigAdmin factory configuration, and reads the DLMS simulator with HLS5-GMAC.
 */
@Timeout(60)
class OsgiSmokeTest {

    @TempDir
    Path dir;

    @Test
    void bundleResolvesAndReadsTheSimulatorThroughConfigAdmin() throws Exception {
        try (DlmsSimulator sim = DlmsSimulator.builder().count(1).start()) {
            DlmsMeter meter = sim.meters().get(0);
            Path data = Files.createDirectories(dir.resolve("data"));

            Map<String, String> cfg = new HashMap<>();
            cfg.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix").toString());
            cfg.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            cfg.put("metergate.data.dir", data.toString());
            // the test shares the API classes with the bundles through the system bundle
            cfg.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, FelixFramework.apiPackages());
            Framework felix = new FrameworkFactory().newFramework(cfg);
            felix.start();
            try {
                BundleContext ctx = felix.getBundleContext();
                for (String marker : List.of("org.osgi.util.function.Function", "org.osgi.util.promise.Promise",
                        "org.osgi.service.component.ComponentContext", "org.osgi.service.log.LoggerFactory",
                        "org.apache.felix.log.Activator", "org.apache.felix.cm.impl.ConfigurationManager",
                        "org.apache.felix.scr.impl.Activator", "org.openmuc.jdlms.DlmsConnection",
                        "com.beanit.asn1bean.ber.types.BerType", "org.bouncycastle.crypto.engines.AESEngine",
                        "org.openmuc.jrxtx.SerialPort", "org.metergate.serial.ByteLinks",
                        "com.fazecast.jSerialComm.SerialPort")) {
                    ctx.installBundle(FelixFramework.jarOf(marker).toUri().toString());
                }
                Bundle dlms = ctx.installBundle(FelixFramework.bundleJar(dir, "metergate-dlms.jar").toUri().toString());
                for (Bundle b : ctx.getBundles()) {
                    b.start();
                }
                assertThat(dlms.getState()).isEqualTo(Bundle.ACTIVE);
                // the security bundle's key service, as the driver finds it in the service registry
                ctx.registerService(MeterKeys.class, InMemoryMeterKeys.of("m1", meter.config().authenticationKey(),
                        meter.config().encryptionKey()), null);

                ServiceTracker<CosemMeter, CosemMeter> tracker = new ServiceTracker<>(ctx, CosemMeter.class, null);
                tracker.open();
                configure(ctx, Map.of("meterId", "m1", "link", "tcp://127.0.0.1:" + meter.wrapperPort(),
                        "responseTimeoutMs", 3000));
                CosemMeter cosemMeter = tracker.waitForService(20_000);
                assertThat(cosemMeter).as("CosemMeter service published").isNotNull();
                assertThat(ctx.getServiceReferences(Meter.class, null)).hasSize(1);
                assertThat(cosemMeter.id()).isEqualTo("m1");
                try (CosemSession session = cosemMeter.open()) {
                    assertThat(session.readRegisters().readings()).hasSize(8);
                    assertThat(session.get(CosemAttribute.of(111, "0-0:19.0.0.255", 5)).asLong())
                            .isEqualTo(meter.firmware().availableCreditMinor());
                }
                tracker.close();
                // the discovery probe is published for the console and the shell
                assertThat(ctx.getServiceReferences(MeterProbe.class, null)).hasSize(1);
            } finally {
                felix.stop();
                felix.waitForStop(10_000);
            }
        }
    }

    /** A factory configuration through ConfigAdmin, called reflectively: its API lives inside the framework. */
    private static void configure(BundleContext ctx, Map<String, Object> values) throws Exception {
        ServiceReference<?> ref = ctx.getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null)[0];
        Object admin = ctx.getService(ref);
        Object conf = admin.getClass().getMethod("createFactoryConfiguration", String.class, String.class)
                .invoke(admin, "org.metergate.dlms.meter", "?");
        Method update = conf.getClass().getMethod("update", Dictionary.class);
        update.setAccessible(true);
        update.invoke(conf, new Hashtable<>(values));
    }
}
