// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.metergate.api.link.LinkAddress;
import org.metergate.api.meter.Meter;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;
import org.metergate.api.meter.MeterSession;
import org.metergate.api.meter.PollPolicy;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One configured IEC 62056-21 meter. A configuration that cannot work still publishes the meter, so the
 * technician sees it marked misconfigured with the reason, instead of the meter silently missing.
 */
@Component(configurationPid = Iec21Meter.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = Meter.class)
@Designate(ocd = Iec21MeterConfig.class, factory = true)
public class Iec21Meter implements Meter {

    static final String FACTORY_PID = "org.metergate.iec62056.meter";
    static final String PROTOCOL = "iec62056-21";
    private static final PollPolicy MISCONFIGURED_POLICY =
            new PollPolicy(Duration.ofMinutes(5), 0, Duration.ZERO, Duration.ZERO);

    @Reference(service = LoggerFactory.class)
    private Logger log;

    private final Clock clock;
    private final AtomicBoolean sessionOpen = new AtomicBoolean();
    private String id;
    private String linkText;
    private Iec21Settings settings;
    private String misconfiguration;

    public Iec21Meter() {
        this(Clock.systemUTC());
    }

    Iec21Meter(Clock clock) {
        this.clock = clock;
    }

    @Activate
    void activate(Iec21MeterConfig config, Map<String, Object> properties) {
        configure(config, String.valueOf(properties.getOrDefault("service.pid", "unnamed")));
        if (misconfiguration != null && log != null) {
            log.error("{} - fix the meter's file in conf/ and it is re-read automatically", misconfiguration);
        }
    }

    void configure(Iec21MeterConfig config, String fallbackId) {
        String configuredId = config.meterId() == null ? "" : config.meterId().trim();
        linkText = config.link() == null ? "" : config.link();
        try {
            settings = Iec21Settings.from(config);
            id = settings.meterId();
            misconfiguration = null;
        } catch (Iec21Settings.InvalidSettingsException e) {
            settings = null;
            id = Iec21Settings.METER_ID.matcher(configuredId).matches() ? configuredId : fallbackId;
            misconfiguration = e.getMessage();
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
    public MeterSession open() throws MeterException {
        if (settings == null) {
            throw new MeterException(Reason.CONFIGURATION, misconfiguration);
        }
        if (!sessionOpen.compareAndSet(false, true)) {
            throw new MeterException(Reason.LINK_UNAVAILABLE,
                    "meter " + id + " is already being read on " + linkText + "; try again when that read ends");
        }
        return Iec21Session.open(settings, clock, () -> sessionOpen.set(false));
    }

    @Override
    public String toString() {
        return "IEC 62056-21 meter " + id + " on " + linkText;
    }
}
