// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.servlet.Servlet;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.security.DeviceIdentity;
import org.metergate.api.uplink.Uplink;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Starts the console: the servlet on the HTTP Whiteboard and the console's own connector in Felix's Jetty. HTTPS uses
 * the device key and certificate from {@link DeviceIdentity}; until a signed certificate is installed the console
 * waits and checks again every few seconds. Plain HTTP exists only on 127.0.0.1 and only with
 * {@code developmentHttp=true}. A change of the device identity restarts the console (sessions end).
 */
@Component(immediate = true, configurationPid = ConsoleComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ConsoleConfig.class)
public class ConsoleComponent {

    static final String PID = "org.metergate.console";
    static final long CERTIFICATE_CHECK_SECONDS = 10;

    private final BundleContext context;
    private final Logger log;
    private final ConsoleSettings settings;
    private final DeviceIdentity identity;
    private final ScheduledExecutorService timer;
    private final ServiceRegistration<Servlet> servlet;
    private ServiceRegistration<ConnectorFactory> connector;
    private boolean closed;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MeteringService metering;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Outbox outbox;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Uplink uplink;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DiscoveryComponent discovery;

    @Activate
    public ConsoleComponent(BundleContext context, ConsoleConfig config,
            @Reference(service = LoggerFactory.class) Logger log,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            DeviceIdentity identity) throws IOException {
        this.context = context;
        this.log = log;
        this.identity = identity;
        try {
            settings = ConsoleSettings.from(config);
        } catch (IllegalArgumentException e) {
            log.error("console not started: {}", e.getMessage());
            throw e;
        }
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        Path directory = ConsoleDirectory.of(context.getProperty(ConsoleDirectory.DATA_DIR_PROPERTY));
        OwnerOnlyFiles files = new OwnerOnlyFiles(directory);
        if (files.widerThanOwner()) {
            log.warn("{} can be read by other users; restrict it with: chmod 700 {}", directory, directory);
        }
        Credentials credentials = Credentials.open(files, new PasswordHash(random, PasswordHash.DEFAULT_ITERATIONS),
                new SetupCodes(random));
        credentials.setupCode().ifPresent(code -> log.warn("console first visit: setup code {} sets the console "
                + "password once (printed again by 'bin/metergate setup-code' or mg:setup-code)", code));

        boolean secure = !settings.developmentHttp();
        StatusCollector status = new StatusCollector(clock,
                Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()),
                context.getBundle().getVersion().toString(), () -> identity, () -> metering, () -> outbox,
                () -> uplink);
        ConsoleServlet pages = new ConsoleServlet(credentials,
                new Sessions(clock, random, settings.sessionIdle(), settings.sessionMax()),
                new LoginThrottle(clock, settings.failuresBeforeLockout(), settings.lockout()), status::collect,
                secure, List.of(discoverySection()));
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.servlet.pattern", "/*");
        properties.put("osgi.http.whiteboard.servlet.name", "metergate-console");
        servlet = context.registerService(Servlet.class, pages, properties);

        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "metergate-console"));
        if (settings.developmentHttp()) {
            log.warn("console in DEVELOPMENT mode: plain HTTP without TLS on http://{}:{}/ only; never use "
                    + "developmentHttp=true on a gateway in the field", ConsoleSettings.LOOPBACK, settings.port());
            serve(null);
        } else if (identity == null) {
            // usually for a moment at start-up; without a gatewayId the security bundle logs what to configure
            log.info("console waits for the device identity: it serves HTTPS with the device certificate, and the "
                    + "identity exists once conf/org.metergate.security.cfg sets gatewayId");
        } else {
            CertificateWait wait = new CertificateWait(identity, this::serve, reason -> log.warn("console waits for "
                    + "the device certificate: {}; it starts within {} s after mg:install-cert", reason,
                    CERTIFICATE_CHECK_SECONDS));
            if (!wait.attempt()) {
                timer.scheduleWithFixedDelay(() -> {
                    try {
                        if (wait.attempt()) {
                            timer.shutdown();
                        }
                    } catch (RuntimeException e) {
                        log.error("console cannot use the device certificate: {}", e.getMessage());
                    }
                }, CERTIFICATE_CHECK_SECONDS, CERTIFICATE_CHECK_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    private DiscoverySection discoverySection() {
        return new DiscoverySection(() -> {
            DiscoveryComponent d = discovery;
            return d == null ? null : d.shared();
        }, () -> {
            DiscoveryComponent d = discovery;
            return d == null ? List.of() : d.ports();
        });
    }

    private synchronized void serve(SSLContext tls) {
        if (closed) {
            return; // a late certificate check after deactivation must not leave a connector behind
        }
        String where = settings.bindAddress() == null ? "every interface" : settings.bindAddress();
        connector = context.registerService(ConnectorFactory.class,
                new ConsoleConnectorFactory(settings, tls, settings.port()), null);
        log.info("console served on {}://{}:{}/ ({})", tls == null ? "http" : "https",
                settings.bindAddress() == null ? "<gateway address>" : settings.bindAddress(), settings.port(), where);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
        synchronized (this) {
            closed = true;
            if (connector != null) {
                connector.unregister();
                connector = null;
            }
        }
        servlet.unregister();
    }
}
