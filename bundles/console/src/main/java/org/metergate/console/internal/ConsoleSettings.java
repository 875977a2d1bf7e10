// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.console.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Validated console configuration; every problem of a configuration is reported at once. */
record ConsoleSettings(int port, String host, boolean developmentHttp, Duration sessionIdle, Duration sessionMax,
        int failuresBeforeLockout, Duration lockout) {

    static final String LOOPBACK = "127.0.0.1";
    static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);

    static ConsoleSettings from(ConsoleConfig config) {
        List<String> problems = new ArrayList<>();
        check(problems, "port", config.port(), 1, 65535);
        check(problems, "sessionIdleMinutes", config.sessionIdleMinutes(), 1, 1440);
        check(problems, "sessionMaxHours", config.sessionMaxHours(), 1, 72);
        check(problems, "failuresBeforeLockout", config.failuresBeforeLockout(), 1, 100);
        check(problems, "lockoutSeconds", config.lockoutSeconds(), 1, (int) MAX_LOCKOUT.toSeconds());
        String host = config.host() == null ? "" : config.host().strip();
        if (!host.isEmpty() && !isLiteralAddress(host)) {
            problems.add("host '" + host + "' is not an IP address (leave it empty to listen on every interface)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("conf/org.metergate.console.cfg: " + String.join("; ", problems));
        }
        return new ConsoleSettings(config.port(), host, config.developmentHttp(),
                Duration.ofMinutes(config.sessionIdleMinutes()), Duration.ofHours(config.sessionMaxHours()),
                config.failuresBeforeLockout(), Duration.ofSeconds(config.lockoutSeconds()));
    }

    /** Where the connector binds: loopback in development mode whatever {@code host} says, null = everywhere. */
    String bindAddress() {
        if (developmentHttp) {
            return LOOPBACK;
        }
        return host.isEmpty() ? null : host;
    }

    private static void check(List<String> problems, String key, int value, int min, int max) {
        if (value < min || value > max) {
            problems.add(key + " is " + value + ", must be " + min + ".." + max);
        }
    }

    private static boolean isLiteralAddress(String host) {
        if (!host.matches("[0-9a-fA-F:.]+")) {
            return false; // a name would need DNS, which a gateway may not have at start
        }
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
