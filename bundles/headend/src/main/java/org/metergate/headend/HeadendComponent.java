// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.headend;

import java.time.Clock;

import org.metergate.api.command.CommandHandler;
import org.metergate.api.credit.CreditService;
import org.metergate.api.meter.MeteringService;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.security.DeviceIdentity;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
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
 * Runs the {@link HeadendLink} with the configuration of PID {@value #PID}. A new configuration restarts
 * the link (clean offline, then reconnect). Metering and prepay are optional and may come and go; the
 * Gogo command {@code metergate:headend} prints the link status. Commands other bundles answer arrive as
 * {@link CommandHandler} services and are routed by name ({@link CommandRouter}).
 */
@Component(configurationPid = HeadendComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, // it provides a service (for Gogo), but must run whether or not anyone uses it
        service = HeadendComponent.class,
        property = {"osgi.command.scope=metergate", "osgi.command.function=headend"})
@Designate(ocd = HeadendConfig.class)
public final class HeadendComponent {

    public static final String PID = "org.metergate.headend";

    @Reference
    private DeviceIdentity identity;

    @Reference
    private Outbox outbox;

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MeteringService metering;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CreditService credit;

    private final CommandRouter commands = new CommandRouter(Downlink.BUILT_IN);

    /** Commands other bundles answer, e.g. set-low-credit-threshold from the prepay bundle. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addCommand(CommandHandler handler, ServiceReference<CommandHandler> reference) {
        String name;
        try {
            name = handler.command();
        } catch (RuntimeException e) {
            name = "<" + e + ">";
        }
        Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
        var bundle = reference.getBundle();
        commands.add(new CommandRouter.Offer(handler, name, bundle == null ? "a stopped bundle" : bundle.getSymbolicName(),
                (Long) reference.getProperty(Constants.SERVICE_ID), ranking instanceof Integer r ? r : 0));
    }

    void removeCommand(CommandHandler handler) {
        commands.remove(handler);
    }

    private volatile HeadendLink link;
    private volatile String misconfiguration;

    @Activate
    void activate(BundleContext context, HeadendConfig config) {
        LinkLog log = new OsgiLog(logger);
        commands.reportTo(log);
        HeadendSettings settings;
        try {
            settings = HeadendSettings.from(config);
        } catch (IllegalArgumentException e) {
            // stays active so that the status shows why nothing is sent
            log.error("head-end link not started, configuration " + PID + " is wrong: " + e.getMessage(), null);
            link = null;
            misconfiguration = e.getMessage();
            return;
        }
        misconfiguration = null;
        link = new HeadendLink(settings, identity, outbox, () -> metering, () -> credit, commands::find, log,
                context.getBundle().getVersion().toString(), Clock.systemUTC());
        link.start();
    }

    @Deactivate
    void deactivate() {
        if (link != null) {
            link.close();
            link = null;
        }
    }

    /** Current link state, or a MISCONFIGURED status naming the bad setting. */
    public LinkStatus status() {
        HeadendLink l = link;
        if (l != null) {
            return l.status();
        }
        return new LinkStatus(null, null, LinkState.MISCONFIGURED, null, null, 0, misconfiguration, null,
                outbox.stats());
    }

    /** Gogo: {@code metergate:headend} prints the link status for a technician. */
    public String headend() {
        LinkStatus s = status();
        StringBuilder b = new StringBuilder();
        b.append("gateway      ").append(orDash(s.gatewayId())).append('\n');
        b.append("broker       ").append(orDash(s.brokerUri())).append('\n');
        b.append("state        ").append(s.state())
                .append(s.connectedSince() == null ? "" : " since " + s.connectedSince()).append('\n');
        b.append("published    ").append(s.published()).append(" messages")
                .append(s.lastPublish() == null ? "" : ", last at " + s.lastPublish()).append('\n');
        if (s.backlog() != null) {
            b.append("backlog      ").append(s.backlog().messages()).append(" messages waiting")
                    .append(s.backlog().oldestCreatedAt() == null ? "" : ", oldest from " + s.backlog().oldestCreatedAt())
                    .append('\n');
        }
        b.append("commands     ").append(String.join(", ", Downlink.BUILT_IN.stream().sorted().toList()));
        commands.answered().forEach(c -> b.append(", ").append(c));
        b.append('\n');
        commands.problems().forEach(p -> b.append("command      ").append(p).append('\n'));
        if (s.lastError() != null) {
            b.append("last error   ").append(s.lastError())
                    .append(s.lastErrorAt() == null ? "" : " (" + s.lastErrorAt() + ")").append('\n');
        }
        return b.toString();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static final class OsgiLog implements LinkLog {
        private final Logger logger;

        OsgiLog(Logger logger) {
            this.logger = logger;
        }

        @Override
        public void debug(String message) {
            logger.debug(message);
        }

        @Override
        public void info(String message) {
            logger.info(message);
        }

        @Override
        public void warn(String message) {
            logger.warn(message);
        }

        @Override
        public void error(String message, Throwable cause) {
            if (cause == null) {
                logger.error(message);
            } else {
                logger.error(message, cause);
            }
        }
    }
}
