// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.metergate.api.discovery.MeterProbe;
import org.metergate.api.link.LinkService;
import org.metergate.api.link.PortInfo;
import org.metergate.api.meter.MeterStatus;
import org.metergate.api.meter.MeteringService;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The gateway's one discovery, shared by the console page and the shell: {@code mg:discover [host:port ...]} starts
 * it, {@code mg:discovery} shows progress and findings, {@code mg:accept <n>} configures finding n.
 */
@Component(service = DiscoveryComponent.class, property = {"osgi.command.scope=mg",
    "osgi.command.function=discover", "osgi.command.function=discovery", "osgi.command.function=accept"})
public class DiscoveryComponent {

    /** The standard allows a meter 1.5 s before it answers; a little more for USB probes and serial servers. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(2);

    private final List<MeterProbe> probes = new CopyOnWriteArrayList<>();
    private final Discovery discovery;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LinkService links;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configurationAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MeteringService metering;

    /** Framework property naming the directory File Install applies to ConfigAdmin (conf/ in the gateway). */
    static final String CONF_DIRECTORY_PROPERTY = "felix.fileinstall.dir";

    @Activate
    public DiscoveryComponent(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        String conf = context.getProperty(CONF_DIRECTORY_PROPERTY);
        Path confDirectory = conf == null || conf.isBlank() ? null : Path.of(conf.strip());
        discovery = new Discovery(() -> links, () -> List.copyOf(probes), this::configuredLinks,
                new MeterConfigurations(() -> configurationAdmin, confDirectory, Clock.systemUTC()), ANSWER_TIMEOUT,
                Discovery.probeLimitFor(ANSWER_TIMEOUT), Clock.systemUTC(), line -> log.info("{}", line));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProbe(MeterProbe probe) {
        probes.add(probe);
    }

    void removeProbe(MeterProbe probe) {
        probes.remove(probe);
    }

    @Deactivate
    void deactivate() {
        discovery.close();
    }

    /** For the console page: the same discovery the shell commands use. */
    Discovery shared() {
        return discovery;
    }

    List<PortInfo> ports() {
        LinkService service = links;
        return service == null ? List.of() : service.listPorts();
    }

    private Map<String, String> configuredLinks() {
        Map<String, String> byLink = new HashMap<>();
        MeteringService service = metering;
        if (service != null) {
            for (MeterStatus meter : service.meters()) {
                if (meter.link() != null) {
                    byLink.put(meter.link(), meter.meterId());
                }
            }
        }
        return byLink;
    }

    /** {@code mg:discover [host:port ...]}: starts discovery of the serial ports and the given serial servers. */
    public String discover(String... servers) {
        return DiscoveryShell.start(discovery, servers);
    }

    /** {@code mg:discovery}: progress of the running discovery, or the findings of the last one. */
    public String discovery(String... arguments) {
        return arguments.length > 0 ? "usage: mg:discovery (no arguments)" : DiscoveryShell.show(discovery.progress());
    }

    /** {@code mg:accept <n>}: configures the meter of finding n. */
    public String accept(String... arguments) {
        return DiscoveryShell.accept(discovery, arguments);
    }
}
