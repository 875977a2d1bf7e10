// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.servlet.Servlet;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.metergate.api.ledger.TokenLedger;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.security.DeviceCommissioning;
import org.metergate.api.security.DeviceIdentity;
import org.metergate.api.security.DeviceServerTls;
import org.metergate.api.state.MeterStateStore;
import org.metergate.api.uplink.LinkCheck;
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
 * the device key from {@link DeviceServerTls}: with the head-end-signed certificate once installed, before that with
 * the key's self-signed certificate, so a technician reaches the console before commissioning; each new connection
 * presents the certificate installed at that moment. Plain HTTP exists only on 127.0.0.1 and only with
 * {@code developmentHttp=true}. A change of the device identity restarts the console (sessions end).
 */
@Component(immediate = true, configurationPid = ConsoleComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ConsoleConfig.class)
public class ConsoleComponent {

    static final String PID = "org.metergate.console";

    private final BundleContext context;
    private final Logger log;
    private final ConsoleSettings settings;
    private final DeviceIdentity identity;
    private final DeviceServerTls serverTls;
    private final LinkChecks linkChecks;
    private final LiveSampler liveSampler;
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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LinkCheck linkCheck;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DeviceCommissioning commissioning;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TokenLedger ledger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MeterStateStore meterState;

    @Activate
    public ConsoleComponent(BundleContext context, ConsoleConfig config,
            @Reference(service = LoggerFactory.class) Logger log,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            DeviceIdentity identity,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            DeviceServerTls serverTls) throws IOException {
        this.context = context;
        this.log = log;
        this.identity = identity;
        this.serverTls = serverTls;
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

        boolean secure = !settings.developmentHttp();
        linkChecks = new LinkChecks(() -> linkCheck, clock);
        LiveValues live = new LiveValues();
        StatusCollector status = new StatusCollector(clock,
                Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()),
                context.getBundle().getVersion().toString(), () -> identity, () -> metering, () -> outbox,
                () -> uplink);
        ConsoleServlet pages = new ConsoleServlet(credentials,
                new Sessions(clock, random, settings.sessionIdle(), settings.sessionMax()),
                new LoginThrottle(clock, settings.failuresBeforeLockout(), settings.lockout()), status::collect,
                secure, List.of(discoverySection(), new ConnectivitySection(linkChecks),
                        new MeterSection(clock, () -> metering, () -> ledger, () -> meterState, live),
                        new CertificatesSection(clock, () -> identity, () -> serverTls, () -> commissioning)));
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("osgi.http.whiteboard.servlet.pattern", "/*");
        properties.put("osgi.http.whiteboard.servlet.name", "metergate-console");
        servlet = context.registerService(Servlet.class, pages, properties);
        // started once settings, files and the servlet are in place, so a refused activation leaves no thread
        liveSampler = new LiveSampler(live, () -> metering, clock, log);

        if (settings.developmentHttp()) {
            log.warn("console in DEVELOPMENT mode: plain HTTP without TLS on http://{}:{}/ only; never use "
                    + "developmentHttp=true on a gateway in the field", ConsoleSettings.LOOPBACK, settings.port());
            serve(null);
            announceSetupCode(credentials);
        } else if (serverTls == null) {
            // DS activates this component again as soon as the security bundle's one registration reaches the
            // second of these two references: say nothing about that moment, only about a missing identity
            if (identity == null) {
                log.info("console waits for the device identity: it serves HTTPS with the device key, and the "
                        + "identity exists once conf/org.metergate.security.cfg sets gatewayId");
            }
        } else {
            try {
                serve(serverTls.serverTlsContext());
                announceSetupCode(credentials);
            } catch (GeneralSecurityException e) {
                log.error("console not started: the device key cannot be used for HTTPS: {}", e.getMessage());
            }
        }
    }

    /** Once the console is served, so a start prints the code once, where the technician reads it. */
    private void announceSetupCode(Credentials credentials) {
        credentials.setupCode().ifPresent(code -> log.warn("console first visit: setup code {} sets the console "
                + "password once (printed again by 'bin/metergate setup-code' or mg:setup-code)", code));
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
            return; // never leave a connector behind after deactivation
        }
        String where = settings.bindAddress() == null ? "every interface" : settings.bindAddress();
        connector = context.registerService(ConnectorFactory.class,
                new ConsoleConnectorFactory(settings, tls, settings.port()), null);
        log.info("console served on {}://{}:{}/ ({})", tls == null ? "http" : "https",
                settings.bindAddress() == null ? "<gateway address>" : settings.bindAddress(), settings.port(), where);
        if (tls != null) {
            log.info("console certificate: {}", CertificateFingerprint.describe(serverTls.serverCertificate()));
        }
    }

    @Deactivate
    void deactivate() {
        linkChecks.close();
        liveSampler.close();
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
