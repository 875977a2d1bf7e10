// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.meter.Meter;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;
import org.metergate.api.meter.PollPolicy;
import org.metergate.api.security.MeterKeys;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One configured DLMS/COSEM meter. A configuration that cannot work still publishes the meter, so the technician
 * sees it marked misconfigured with the reason, instead of the meter silently missing.
 */
@Component(configurationPid = DlmsMeter.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {Meter.class, CosemMeter.class})
@Designate(ocd = DlmsMeterConfig.class, factory = true)
public class DlmsMeter implements CosemMeter {

    static final String FACTORY_PID = "org.metergate.dlms.meter";
    static final String PROTOCOL = "dlms";
    static final String DATA_DIR_PROPERTY = "metergate.data.dir";
    private static final PollPolicy MISCONFIGURED_POLICY =
            new PollPolicy(Duration.ofMinutes(5), 0, Duration.ZERO, Duration.ZERO);

    @Reference(service = LoggerFactory.class)
    private Logger log;

    // optional: a meter without its keys still shows up, and open() says how to enter them
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MeterKeys meterKeys;

    private final Clock clock;
    private static final int SESSION_WAIT_TIMEOUTS = 3;
    // one session at a time per meter; fair, so a metering poll and an event poll take turns
    private final Semaphore session = new Semaphore(1, true);
    private Path dataDir;
    private String id;
    private String linkText;
    private DlmsSettings settings;
    private String misconfiguration;
    private AssociationOpener opener;

    public DlmsMeter() {
        this(Clock.systemUTC(), null, null);
    }

    DlmsMeter(Clock clock, Path dataDir, MeterKeys meterKeys) {
        this.clock = clock;
        this.dataDir = dataDir;
        this.meterKeys = meterKeys;
    }

    @Activate
    void activate(BundleContext context, DlmsMeterConfig config, Map<String, Object> properties) {
        String dir = context.getProperty(DATA_DIR_PROPERTY);
        dataDir = Path.of(dir == null || dir.isBlank() ? "data" : dir.strip());
        configure(config, String.valueOf(properties.getOrDefault("service.pid", "unnamed")));
        if (misconfiguration != null && log != null) {
            log.error("{} - fix the meter's file in conf/ and it is re-read automatically", misconfiguration);
        }
    }

    void configure(DlmsMeterConfig config, String fallbackId) {
        String configuredId = config.meterId() == null ? "" : config.meterId().trim();
        linkText = config.link() == null ? "" : config.link();
        try {
            settings = DlmsSettings.from(config);
            id = settings.meterId();
            misconfiguration = null;
            opener = new AssociationOpener(settings, new ServiceDlmsKeys(() -> meterKeys),
                    new InvocationCounterStore(dataDir.resolve("dlms-counters"), id, settings.clientId()), clock,
                    this::warn);
        } catch (DlmsSettings.InvalidSettingsException e) {
            settings = null;
            opener = null;
            id = DlmsSettings.METER_ID.matcher(configuredId).matches() ? configuredId : fallbackId;
            misconfiguration = e.getMessage();
        }
    }

    private void warn(String message) {
        if (log != null) {
            log.warn(message);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String protocol() {
        return PROTOCOL;
    }

    @Override
    public LinkAddress link() {
        return settings != null ? settings.link() : null;
    }

    @Override
    public PollPolicy pollPolicy() {
        return settings != null ? settings.pollPolicy() : MISCONFIGURED_POLICY;
    }

    @Override
    public CosemSession open() throws MeterException {
        if (settings == null) {
            throw new MeterException(Reason.CONFIGURATION, misconfiguration);
        }
        // a session in progress (a metering poll, an event poll, a token) usually ends within seconds: wait for
        // it, up to three response timeouts, rather than fail a poll that happens to start at the same moment
        long waitMs = SESSION_WAIT_TIMEOUTS * settings.responseTimeout().toMillis();
        try {
            if (!session.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
                throw new MeterException(Reason.LINK_UNAVAILABLE, "meter " + id + " is still in another session on "
                        + linkText + " after " + waitMs + " ms; try again when it ends");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeterException(Reason.LINK_UNAVAILABLE, "interrupted while waiting for meter " + id
                    + " to end its session on " + linkText);
        }
        AtomicBoolean released = new AtomicBoolean(); // a permit is given back once, however often it ends
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                session.release();
            }
        };
        try {
            return opener.open(release);
        } catch (MeterException | RuntimeException e) {
            release.run();
            throw e;
        }
    }

    @Override
    public String toString() {
        return "DLMS/COSEM meter " + id + " on " + linkText;
    }
}
