// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "DLMS/COSEM meter",
        description = "One meter read over DLMS/COSEM (TCP wrapper, HDLC over TCP or a serial line). One configuration"
                + " per meter. Keys are not configured here: enter them with"
                + " mg:dlms-key <meterId> <authentication|encryption> <32 hex digits>; the security bundle keeps them"
                + " encrypted.")
public @interface DlmsMeterConfig {

    @AttributeDefinition(name = "Meter id", description = "Name for this meter, letters, digits, - and _ (e.g. m1)")
    String meterId();

    @AttributeDefinition(name = "Link",
            description = "tcp://host:port (DLMS wrapper, or HDLC with framing HDLC) or a serial device (/dev/ttyUSB0, HDLC)")
    String link();

    @AttributeDefinition(name = "TCP framing",
            description = "WRAPPER for IEC 62056-47 meters on TCP; HDLC for a serial server that forwards the meter's HDLC line",
            options = {@Option(label = "DLMS wrapper", value = "WRAPPER"), @Option(label = "HDLC", value = "HDLC")})
    String tcpFraming() default "WRAPPER";

    @AttributeDefinition(name = "Serial baud", description = "Baud rate of a serial HDLC line")
    int baudRate() default 9600;

    @AttributeDefinition(name = "HDLC information field (bytes)",
            description = "Largest HDLC information field proposed to the meter, 128..2030; the meter may lower it")
    int hdlcMaxInformationLength() default 2030;

    @AttributeDefinition(name = "Logical device", description = "Server logical device address (1 = management logical device)")
    int logicalDevice() default 1;

    @AttributeDefinition(name = "Physical address", description = "HDLC server physical (lower) address; 0 when unused")
    int physicalAddress() default 0;

    @AttributeDefinition(name = "Client id", description = "1 = management (SET, ACTION, prepayment), 16 = public (read only)")
    int clientId() default 1;

    @AttributeDefinition(name = "Authentication", description = "NONE or HLS5_GMAC (security suite 0, authenticated and encrypted)",
            options = {@Option(label = "None", value = "NONE"), @Option(label = "HLS5-GMAC", value = "HLS5_GMAC")})
    String authentication() default "HLS5_GMAC";

    @AttributeDefinition(name = "Security suite", description = "Only suite 0 (AES-GCM-128) is supported")
    int securitySuite() default 0;

    @AttributeDefinition(name = "Client system title",
            description = "8 bytes in hex sent as our system title (3 letters manufacturer + 5 bytes id)")
    String clientSystemTitle() default "4D47570000000001";

    @AttributeDefinition(name = "Expected meter system title",
            description = "8 bytes in hex; when set, a meter answering with another system title is refused", required = false)
    String expectedSystemTitle() default "";

    @AttributeDefinition(name = "Invocation counter object",
            description = "OBIS of the meter's invocation counter for our client, read through the public client 16 at"
                    + " each session start; empty when the meter does not offer it (the stored counter alone is used)",
            required = false)
    String invocationCounterObis() default "0-0:43.1.0.255";

    @AttributeDefinition(name = "Response timeout (ms)", description = "Longest wait for each answer of the meter")
    int responseTimeoutMs() default 5000;

    @AttributeDefinition(name = "Retries", description = "Further attempts after a failed read, 0..10")
    int retries() default 2;

    @AttributeDefinition(name = "Poll interval (s)", description = "How often the meter is read")
    int pollIntervalSeconds() default 900;

    @AttributeDefinition(name = "First retry after (s)", description = "Backoff before the first retry; doubles per retry")
    int backoffInitialSeconds() default 5;

    @AttributeDefinition(name = "Longest retry wait (s)", description = "Cap for the doubling backoff")
    int backoffMaxSeconds() default 300;

    @AttributeDefinition(name = "Registers",
            description = "OBIS codes of the registers (IC 3) read at each poll; value and scaler/unit are read")
    String[] registers() default {"1-0:1.8.0.255", "1-0:1.8.1.255", "1-0:1.8.2.255", "1-0:2.8.0.255",
        "1-0:32.7.0.255", "1-0:31.7.0.255", "1-0:1.7.0.255", "1-0:14.7.0.255"};

    @AttributeDefinition(name = "Other values",
            description = "Attributes of other classes read with the registers, class/obis/attribute[/scaler[/unit]]"
                    + ", e.g. 111/0-0:19.0.0.255/5/-2/EUR (available credit), 70/0-0:96.3.10.255/2 (relay connected"
                    + " = 1)")
    String[] values() default {};
}
