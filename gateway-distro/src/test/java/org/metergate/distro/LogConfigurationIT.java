// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.ServiceRegistration;

/** conf/org.metergate.log.cfg is applied live, down to the log service's own level filter. */
class LogConfigurationIT {

    @Test
    @Timeout(120)
    void serviceEventsAppearOnlyAfterTheirLoggerLevelIsLiftedInConf() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.copyOfDistribution()) {
            gateway.start();
            Path log = gateway.dataDir().resolve("log/metergate.log");
            GatewayUnderTest.awaitTrue("log file", Duration.ofSeconds(10), () -> Files.exists(log));

            // shipped configuration: framework service events (logger Events.Service, INFO) held back at WARN
            ServiceRegistration<?> quiet = gateway.context().registerService(Runnable.class, () -> { },
                    new Hashtable<>());
            quiet.unregister();

            gateway.writeConf("org.metergate.log.cfg", "rootLevel=DEBUG\nloggerLevels=\nconsole=false\n");
            GatewayUnderTest.awaitTrue("a service event in " + log, Duration.ofSeconds(20), () -> {
                gateway.context().registerService(Runnable.class, () -> { }, new Hashtable<>()).unregister();
                try {
                    return Files.readString(log).contains("INFO  [org.apache.felix.framework] ServiceEvent REGISTERED");
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            String content = Files.readString(log);
            // levels are checked when an entry is logged and entries are written in order, so the event
            // registered under the shipped configuration would precede every DEBUG entry if it had been kept
            assertThat(content).contains(" DEBUG ");
            assertThat(content.substring(0, content.indexOf(" DEBUG ")))
                    .as("service events written before the configuration changed").doesNotContain("ServiceEvent");
        }
    }
}
