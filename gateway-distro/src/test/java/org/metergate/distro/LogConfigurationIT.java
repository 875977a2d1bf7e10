// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.distro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.ServiceReference;

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
            gateway.context().registerService(Runnable.class, () -> { }, new Hashtable<>()).unregister();
            logWarning(gateway, "marker after the held-back service event");
            awaitInFile(log, "WARN  [org.apache.felix.framework] marker after the held-back service event");
            assertThat(Files.readString(log)).as("service events under the shipped configuration")
                    .doesNotContain("ServiceEvent");

            gateway.writeConf("org.metergate.log.cfg", "rootLevel=DEBUG\nloggerLevels=\nconsole=false\n");
            GatewayUnderTest.awaitTrue("a service event in " + log, Duration.ofSeconds(20), () -> {
                gateway.context().registerService(Runnable.class, () -> { }, new Hashtable<>()).unregister();
                return fileContains(log, "INFO  [org.apache.felix.framework] ServiceEvent REGISTERED");
            });
        }
    }

    /** Logs through the framework's LogService, which lives in another class space: by reflection. */
    private static void logWarning(GatewayUnderTest gateway, String message) throws Exception {
        ServiceReference<?>[] references = gateway.context().getAllServiceReferences("org.osgi.service.log.LogService", null);
        assertThat(references).as("LogService").isNotEmpty();
        Object logService = gateway.context().getService(references[0]);
        try {
            for (Class<?> type : logService.getClass().getInterfaces()) {
                if (type.getName().equals("org.osgi.service.log.LogService")) {
                    type.getMethod("log", int.class, String.class).invoke(logService, 2, message);
                    return;
                }
            }
            throw new AssertionError("LogService implementation without the LogService interface");
        } finally {
            gateway.context().ungetService(references[0]);
        }
    }

    private static void awaitInFile(Path file, String text) throws InterruptedException {
        GatewayUnderTest.awaitTrue("'" + text + "' in " + file, Duration.ofSeconds(20), () -> fileContains(file, text));
    }

    private static boolean fileContains(Path file, String text) {
        try {
            return Files.readString(file).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
