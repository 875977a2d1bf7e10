// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.metergate.headend.LinkFixture.eventually;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.command.CommandHandler;
import org.metergate.api.command.CommandRequest;
import org.metergate.api.command.CommandResult;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.Retention;
import org.metergate.api.security.DeviceIdentity;
import org.metergate.testing.FelixFramework;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * The bundle as built (manifest from bnd, Paho embedded) resolves in Felix 7 with SCR, ConfigAdmin and the
 * Log Service, is configured through ConfigAdmin, connects and drains the outbox; a plaintext URI without
 * insecurePlaintext leaves it MISCONFIGURED with the reason.
 */
@Timeout(60)
class OsgiSmokeTest {

    @TempDir
    Path dir;

    @Test
    void bundleResolvesActivatesAndDrainsInFelix() throws Exception {
        TestPki pki = new TestPki(dir);
        try (TestBroker broker = new TestBroker(pki, true).start()) {
            Map<String, String> cfg = new HashMap<>();
            cfg.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix").toString());
            cfg.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            // the test shares the API classes with the bundle through the system bundle
            cfg.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, FelixFramework.apiPackages());
            Framework felix = new FrameworkFactory().newFramework(cfg);
            felix.start();
            try {
                BundleContext ctx = felix.getBundleContext();
                for (String marker : List.of("org.osgi.util.function.Function", "org.osgi.util.promise.Promise",
                        "org.osgi.service.component.ComponentContext", "org.osgi.service.log.LoggerFactory",
                        "org.apache.felix.log.Activator", "org.apache.felix.cm.impl.ConfigurationManager",
                        "org.apache.felix.scr.impl.Activator", "com.google.gson.Gson")) {
                    ctx.installBundle(FelixFramework.jarOf(marker).toUri().toString());
                }
                Bundle headend = ctx.installBundle(
                        FelixFramework.bundleJar(dir, "metergate-headend.jar").toUri().toString());
                for (Bundle b : ctx.getBundles()) {
                    b.start();
                }
                assertThat(headend.getState()).isEqualTo(Bundle.ACTIVE);

                MemoryOutbox outbox = new MemoryOutbox();
                outbox.append(MessageKind.EVENT, "m1", Retention.ALARM, "{\"type\":\"tamper\",\"ts\":\"2026-01-01T00:00:00Z\"}");
                ctx.registerService(Outbox.class, outbox, null);
                ctx.registerService(DeviceIdentity.class, new TestIdentity("gw-osgi", null), null);

                // nothing looks the component up first: it must start on its own (immediate)
                configure(ctx, broker.plainUri(), true);
                eventually("outbox drained by the bundle", Duration.ofSeconds(20), () -> outbox.size() == 0);
                assertThat(gogoStatus(ctx)).contains("CONNECTED", "gw-osgi");

                // CommandHandler services are routed by name; a second one with the same name is reported
                ctx.registerService(CommandHandler.class, new NamedCommand("set-x"), null);
                eventually("command listed", Duration.ofSeconds(20), () -> gogoStatus(ctx).contains("set-x ("));
                ctx.registerService(CommandHandler.class, new NamedCommand("set-x"), null);
                eventually("duplicate reported", Duration.ofSeconds(20),
                        () -> gogoStatus(ctx).contains("command 'set-x' is offered by more than one bundle"));

                configure(ctx, broker.plainUri(), false);
                eventually("misconfiguration reported", Duration.ofSeconds(20),
                        () -> gogoStatus(ctx).contains("MISCONFIGURED"));
                assertThat(gogoStatus(ctx)).contains("is plaintext", "ssl://");
            } finally {
                felix.stop();
                felix.waitForStop(10_000);
            }
        }
    }

    private record NamedCommand(String command) implements CommandHandler {
        @Override
        public CommandResult handle(CommandRequest request) {
            return CommandResult.success(java.util.Map.of());
        }
    }

    /** Configuration through ConfigAdmin, called reflectively: its API lives inside the framework. */
    private static void configure(BundleContext ctx, String uri, boolean insecure) throws Exception {
        ServiceReference<?> ref = ctx.getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null)[0];
        Object admin = ctx.getService(ref);
        Object conf = admin.getClass().getMethod("getConfiguration", String.class, String.class)
                .invoke(admin, HeadendComponent.PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("brokerUri", uri);
        props.put("insecurePlaintext", insecure);
        props.put("reconnectInitialSeconds", 1);
        Method update = conf.getClass().getMethod("update", Dictionary.class);
        update.setAccessible(true);
        update.invoke(conf, props);
    }

    private static String gogoStatus(BundleContext ctx) {
        try {
            ServiceReference<?>[] refs = ctx.getAllServiceReferences(HeadendComponent.class.getName(), null);
            if (refs == null) {
                return "";
            }
            Object component = ctx.getService(refs[0]);
            return (String) component.getClass().getMethod("headend").invoke(component);
        } catch (ReflectiveOperationException | org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
