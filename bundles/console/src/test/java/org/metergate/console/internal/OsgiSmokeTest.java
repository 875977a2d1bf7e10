// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metergate.api.security.DeviceIdentity;
import org.metergate.api.security.DeviceServerTls;
import org.metergate.security.embedded.DeviceIdentities;
import org.metergate.security.embedded.EmbeddedIdentity;
import org.metergate.security.testing.TestHeadendPki;
import org.metergate.testing.FelixFramework;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * The bundle as built resolves in Felix 7 next to Felix HTTP Jetty 4.2.10 and the Servlet API bundle, takes its
 * configuration from ConfigAdmin and the device key from a {@link DeviceServerTls} service, and serves the
 * first-visit setup over HTTPS through the whiteboard and its own connector.
 */
@Timeout(90)
class OsgiSmokeTest {

    @TempDir
    Path dir;

    @Test
    void servesTheFirstVisitOverHttpsInFelix() throws Exception {
        Map<String, String> cfg = new HashMap<>();
        cfg.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix").toString());
        cfg.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // the API classes are shared with the test: every API package the bundle imports, at the version it asks for
        Path bundle = FelixFramework.bundleJar(dir, "metergate-console.jar");
        cfg.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, FelixFramework.apiPackages());
        cfg.put(ConsoleDirectory.DATA_DIR_PROPERTY, dir.resolve("data").toString());
        // as etc/config.properties of the distribution: Jetty's own connector on loopback, random port
        cfg.put("org.apache.felix.http.host", "127.0.0.1");
        cfg.put("org.osgi.service.http.port", "0");
        Framework felix = new FrameworkFactory().newFramework(cfg);
        felix.start();
        try {
            BundleContext ctx = felix.getBundleContext();
            for (String marker : List.of("org.osgi.util.function.Function", "org.osgi.util.promise.Promise",
                    "org.osgi.service.component.ComponentContext", "org.osgi.service.log.LoggerFactory",
                    "org.apache.felix.log.Activator", "org.apache.felix.cm.impl.ConfigurationManager",
                    "org.apache.felix.scr.impl.Activator", "javax.servlet.Servlet",
                    "org.apache.felix.http.jetty.ConnectorFactory")) {
                ctx.installBundle(FelixFramework.jarOf(marker).toUri().toString());
            }
            for (Bundle b : ctx.getBundles()) {
                b.start();
            }
            // configured and given its identity before it starts, so it never binds the default port
            int port = freePort();
            configure(ctx, port);
            TestHeadendPki headend = new TestHeadendPki("Head-end CA");
            EmbeddedIdentity identity = DeviceIdentities.open(dir.resolve("security"), ConsoleServer.GATEWAY_ID);
            identity.install(headend.chainPem(headend.issueFromCsr(identity.certificationRequest())),
                    headend.rootPem());
            ctx.registerService(DeviceIdentity.class, identity, null);
            ctx.registerService(DeviceServerTls.class, identity, null);
            Bundle console = ctx.installBundle(bundle.toUri().toString());
            console.start();
            assertThat(console.getState()).isEqualTo(Bundle.ACTIVE);

            Path code = dir.resolve("data").resolve(ConsoleDirectory.NAME).resolve(Credentials.SETUP_CODE_FILE);
            Browser browser = new Browser(URI.create("https://127.0.0.1:" + port + "/"),
                    new TrustingTheDevice(headend).context());
            HttpResponse<String> setup = eventually(() -> browser.get("/setup"));
            assertThat(setup.statusCode()).isEqualTo(200);
            assertThat(setup.body()).contains("setup code");
            String form = Browser.hidden(setup.body(), "form");
            HttpResponse<String> done = browser.post("/setup", Map.of("form", form,
                    "code", Files.readString(code).strip(), "password", "meter-room-42", "confirm", "meter-room-42"));
            assertThat(done.statusCode()).isEqualTo(303);
            assertThat(browser.get("/").body()).contains(ConsoleServer.GATEWAY_ID);
            assertThat(Files.exists(code)).isFalse();
        } finally {
            felix.stop();
            felix.waitForStop(10_000);
        }
    }

    /** The console connector starts once the configuration and identity are there; retried for a bounded time. */
    private static HttpResponse<String> eventually(Request request) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            try {
                return request.send();
            } catch (java.io.IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private interface Request {
        HttpResponse<String> send() throws Exception;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Configuration through ConfigAdmin, called reflectively: its API lives inside the framework. */
    private static void configure(BundleContext ctx, int port) throws Exception {
        ServiceReference<?> ref = ctx.getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null)[0];
        Object admin = ctx.getService(ref);
        Object conf = admin.getClass().getMethod("getConfiguration", String.class, String.class)
                .invoke(admin, ConsoleComponent.PID, "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("port", port);
        props.put("host", "127.0.0.1");
        Method update = conf.getClass().getMethod("update", Dictionary.class);
        update.setAccessible(true);
        update.invoke(conf, props);
    }
}
