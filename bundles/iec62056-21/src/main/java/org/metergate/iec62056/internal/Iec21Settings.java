// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.metergate.api.link.LinkAddress;
import org.metergate.api.meter.PollPolicy;

/** Validated, typed settings of one IEC 62056-21 meter. */
record Iec21Settings(String meterId, LinkAddress link, String deviceAddress, int initialBaud, boolean fixedBaud,
        int baudChangeDelayMs, Duration timeout, PollPolicy pollPolicy) {

    static final Pattern METER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Device addresses are up to 32 characters of digits, letters and spaces (IEC 62056-21 6.3.1). */
    static final Pattern DEVICE_ADDRESS = Pattern.compile("[0-9A-Za-z ]{0,32}");
    private static final int[] STANDARD_BAUDS = {300, 600, 1200, 2400, 4800, 9600, 19200};

    /**
     * Validates a configuration and reports every problem at once, so a technician fixes the file in one go.
     *
     * @throws InvalidSettingsException listing each invalid value and what is allowed
     */
    static Iec21Settings from(Iec21MeterConfig config) throws InvalidSettingsException {
        List<String> problems = new ArrayList<>();
        String id = config.meterId() == null ? "" : config.meterId().trim();
        if (!METER_ID.matcher(id).matches()) {
            problems.add("meterId '" + id + "' must be 1-64 letters, digits, - or _");
        }
        LinkAddress link = null;
        try {
            link = LinkAddress.parse(config.link());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        String address = config.deviceAddress() == null ? "" : config.deviceAddress().trim();
        if (!DEVICE_ADDRESS.matcher(address).matches()) {
            problems.add("deviceAddress '" + address + "' must be at most 32 letters, digits or spaces");
        }
        if (!isStandardBaud(config.initialBaud())) {
            problems.add("initialBaud " + config.initialBaud() + " is not one of 300, 600, 1200, 2400, 4800, 9600, 19200");
        }
        if (config.baudChangeDelayMs() < 0 || config.baudChangeDelayMs() > 2000) {
            problems.add("baudChangeDelayMs " + config.baudChangeDelayMs() + " must be 0..2000");
        }
        if (config.timeoutMs() < 200 || config.timeoutMs() > 60_000) {
            problems.add("timeoutMs " + config.timeoutMs() + " must be 200..60000 (the standard's reaction time alone is up to 1500 ms)");
        }
        if (config.pollIntervalSeconds() < 1 || config.pollIntervalSeconds() > 86_400) {
            problems.add("pollIntervalSeconds " + config.pollIntervalSeconds() + " must be 1..86400");
        }
        PollPolicy policy = null;
        try {
            policy = new PollPolicy(Duration.ofSeconds(Math.max(1, config.pollIntervalSeconds())), config.retries(),
                    Duration.ofSeconds(config.backoffInitialSeconds()), Duration.ofSeconds(config.backoffMaxSeconds()));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + " (retries " + config.retries() + ", backoffInitialSeconds "
                    + config.backoffInitialSeconds() + ", backoffMaxSeconds " + config.backoffMaxSeconds() + ")");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(id.isEmpty() ? "?" : id, problems);
        }
        return new Iec21Settings(id, link, address, config.initialBaud(), config.fixedBaud(),
                config.baudChangeDelayMs(), Duration.ofMillis(config.timeoutMs()), policy);
    }

    private static boolean isStandardBaud(int baud) {
        for (int b : STANDARD_BAUDS) {
            if (b == baud) {
                return true;
            }
        }
        return false;
    }

    static final class InvalidSettingsException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSettingsException(String meterId, List<String> problems) {
            super("meter " + meterId + " is misconfigured: " + String.join("; ", problems));
        }
    }
}
