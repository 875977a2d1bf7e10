// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

import org.metergate.api.security.DeviceIdentity;
import org.metergate.api.uplink.LinkCheck;
import org.metergate.api.uplink.LinkCheckReport;
import org.metergate.api.uplink.LinkCheckStep;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The connectivity check as a service, with the head-end link's own configuration (same PID, so the same broker URI
 * and timeouts) and the device certificate in use. Runs one at a time: they share the client id
 * {@code <gatewayId>-check}. Each step is bounded by the link's {@code connectTimeoutSeconds}.
 */
@Component(service = LinkCheck.class, configurationPid = HeadendComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class LinkCheckComponent implements LinkCheck {

    private final DeviceIdentity identity;
    private final HeadendSettings settings;
    private final String misconfiguration;
    private final String configuredUri;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HeadendComponent headend;

    @Activate
    public LinkCheckComponent(HeadendConfig config, @Reference DeviceIdentity identity) {
        this.identity = identity;
        this.configuredUri = config.brokerUri();
        HeadendSettings parsed = null;
        String problem = null;
        try {
            parsed = HeadendSettings.from(config);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        this.settings = parsed;
        this.misconfiguration = problem;
    }

    @Override
    public synchronized LinkCheckReport run(Consumer<LinkCheckStep> progress) {
        if (settings == null) {
            return LinkChecker.misconfigured(configuredUri, misconfiguration, Clock.systemUTC(), progress);
        }
        return new LinkChecker(settings, identity, () -> {
            HeadendComponent h = headend;
            return h == null ? null : h.status();
        }, Duration.ofSeconds(settings.connectTimeoutSeconds()), Clock.systemUTC()).run(progress);
    }
}
