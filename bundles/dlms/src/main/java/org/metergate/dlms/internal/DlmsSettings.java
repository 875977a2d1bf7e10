// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.metergate.api.link.LinkAddress;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.PollPolicy;

/** Validated, typed settings of one DLMS/COSEM meter. */
record DlmsSettings(String meterId, LinkAddress link, boolean hdlc, int baudRate, int logicalDevice,
        int physicalAddress, int clientId, Authentication authentication, byte[] clientSystemTitle,
        byte[] expectedSystemTitle, ObisCode invocationCounterObis, Duration responseTimeout, PollPolicy pollPolicy,
        List<ObisCode> registers, List<ValueAttribute> values, int hdlcMaxInformationLength) {

    static final Pattern METER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final int PUBLIC_CLIENT = 16;

    enum Authentication { NONE, HLS5_GMAC }

    boolean secured() {
        return authentication == Authentication.HLS5_GMAC;
    }

    /** Where and how, for messages: {@code tcp://host:4059 (wrapper, client 1, logical device 1)}. */
    String describeLink() {
        return link + " (" + (hdlc ? "HDLC" : "wrapper") + ", client " + clientId + ", logical device " + logicalDevice
                + (hdlc && physicalAddress != 0 ? ", physical address " + physicalAddress : "") + ")";
    }

    /**
     * Validates a configuration and reports every problem at once, so a technician fixes the file in one go.
     *
     * @throws InvalidSettingsException listing each invalid value and what is allowed
     */
    static DlmsSettings from(DlmsMeterConfig c) throws InvalidSettingsException {
        List<String> problems = new ArrayList<>();
        String id = c.meterId() == null ? "" : c.meterId().trim();
        if (!METER_ID.matcher(id).matches()) {
            problems.add("meterId '" + id + "' must be 1-64 letters, digits, - or _");
        }
        LinkAddress link = null;
        try {
            link = LinkAddress.parse(c.link());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        String framing = c.tcpFraming() == null ? "WRAPPER" : c.tcpFraming().trim().toUpperCase(Locale.ROOT);
        if (!framing.equals("WRAPPER") && !framing.equals("HDLC")) {
            problems.add("tcpFraming '" + c.tcpFraming() + "' must be WRAPPER or HDLC");
        }
        boolean hdlc = link != null && (link.kind() == LinkAddress.Kind.SERIAL || framing.equals("HDLC"));
        if (c.hdlcMaxInformationLength() < 128 || c.hdlcMaxInformationLength() > 2030) {
            problems.add("hdlcMaxInformationLength " + c.hdlcMaxInformationLength() + " must be 128..2030 (bytes)");
        }
        if (c.baudRate() < 300 || c.baudRate() > 115_200) {
            problems.add("baudRate " + c.baudRate() + " must be 300..115200");
        }
        if (c.logicalDevice() < 0 || c.logicalDevice() > 0x3FFF) {
            problems.add("logicalDevice " + c.logicalDevice() + " must be 0..16383 (1 is the management logical device)");
        }
        if (c.physicalAddress() < 0 || c.physicalAddress() > 0x3FFF) {
            problems.add("physicalAddress " + c.physicalAddress() + " must be 0..16383");
        }
        if (c.clientId() < 1 || c.clientId() > 127) {
            problems.add("clientId " + c.clientId() + " must be 1..127 (1 management, 16 public)");
        }
        Authentication auth = null;
        try {
            auth = Authentication.valueOf(c.authentication() == null ? "" : c.authentication().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("authentication '" + c.authentication() + "' must be NONE or HLS5_GMAC");
        }
        if (c.securitySuite() != 0) {
            problems.add("securitySuite " + c.securitySuite() + " is not supported; only suite 0 (AES-GCM-128)");
        }
        byte[] clientTitle = systemTitle("clientSystemTitle", c.clientSystemTitle(), false, problems);
        byte[] expectedTitle = systemTitle("expectedSystemTitle", c.expectedSystemTitle(), true, problems);
        ObisCode counterObis = null;
        if (c.invocationCounterObis() != null && !c.invocationCounterObis().isBlank()) {
            try {
                counterObis = ObisCode.parse(c.invocationCounterObis());
            } catch (IllegalArgumentException e) {
                problems.add("invocationCounterObis: " + e.getMessage());
            }
        }
        if (c.responseTimeoutMs() < 100 || c.responseTimeoutMs() > 120_000) {
            problems.add("responseTimeoutMs " + c.responseTimeoutMs() + " must be 100..120000");
        }
        if (c.pollIntervalSeconds() < 1 || c.pollIntervalSeconds() > 86_400) {
            problems.add("pollIntervalSeconds " + c.pollIntervalSeconds() + " must be 1..86400");
        }
        PollPolicy policy = null;
        try {
            policy = new PollPolicy(Duration.ofSeconds(Math.max(1, c.pollIntervalSeconds())), c.retries(),
                    Duration.ofSeconds(c.backoffInitialSeconds()), Duration.ofSeconds(c.backoffMaxSeconds()));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + " (retries " + c.retries() + ", backoffInitialSeconds "
                    + c.backoffInitialSeconds() + ", backoffMaxSeconds " + c.backoffMaxSeconds() + ")");
        }
        Set<ObisCode> registers = new LinkedHashSet<>();
        String[] configured = c.registers() == null ? new String[0] : c.registers();
        for (String r : entries(configured)) {
            try {
                registers.add(ObisCode.parse(r));
            } catch (IllegalArgumentException e) {
                problems.add("registers: " + e.getMessage());
            }
        }
        if (registers.isEmpty() && configured.length == 0) {
            problems.add("registers is empty: list at least one register OBIS code such as 1-0:1.8.0.255");
        }
        List<ValueAttribute> values = new ArrayList<>();
        for (String v : entries(c.values())) {
            try {
                values.add(ValueAttribute.parse(v));
            } catch (IllegalArgumentException e) {
                problems.add("values: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(id.isEmpty() ? "?" : id, problems);
        }
        return new DlmsSettings(id, link, hdlc, c.baudRate(), c.logicalDevice(), c.physicalAddress(), c.clientId(),
                auth, clientTitle, expectedTitle, counterObis, Duration.ofMillis(c.responseTimeoutMs()), policy,
                List.copyOf(registers), List.copyOf(values), c.hdlcMaxInformationLength());
    }

    /**
     * The non-blank entries of a list setting. A .cfg file in conf/ gives a list as one comma-separated string
     * ({@code registers=1-0:1.8.0.255, 1-0:2.8.0.255}), ConfigAdmin as an array; both are accepted.
     */
    static List<String> entries(String[] configured) {
        List<String> entries = new ArrayList<>();
        for (String item : configured == null ? new String[0] : configured) {
            for (String entry : item == null ? new String[0] : item.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.strip());
                }
            }
        }
        return entries;
    }

    private static byte[] systemTitle(String name, String hex, boolean optional, List<String> problems) {
        String h = hex == null ? "" : hex.replace(" ", "").replace(":", "").trim();
        if (h.isEmpty() && optional) {
            return null;
        }
        try {
            byte[] title = HexFormat.of().parseHex(h);
            if (title.length == 8) {
                return title;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(name + " '" + hex + "' must be 8 bytes in hex (16 hex digits), e.g. 4D47530000989681");
        return null;
    }

    static final class InvalidSettingsException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidSettingsException(String meterId, List<String> problems) {
            super("meter " + meterId + " is misconfigured: " + String.join("; ", problems));
        }
    }
}
