// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "IEC 62056-21 meter",
        description = "One meter read over its optical port (IEC 62056-21 modes A, B, C). One configuration per meter.")
public @interface Iec21MeterConfig {

    @AttributeDefinition(name = "Meter id", description = "Name for this meter, letters, digits, - and _ (e.g. m1)")
    String meterId();

    @AttributeDefinition(name = "Link",
            description = "Serial port (/dev/ttyUSB0) or serial server (tcp://host:port or host:port)")
    String link();

    @AttributeDefinition(name = "Device address",
            description = "Address sent in the sign-on /?address!; empty for the meter on a point-to-point probe",
            required = false)
    String deviceAddress() default "";

    @AttributeDefinition(name = "Initial baud", description = "Sign-on baud rate; the standard says 300")
    int initialBaud() default 300;

    @AttributeDefinition(name = "Fixed baud",
            description = "Stay at the initial baud instead of switching to the meter's proposal (long cables, slow probes)")
    boolean fixedBaud() default false;

    @AttributeDefinition(name = "Baud change delay (ms)",
            description = "Wait before switching baud after the acknowledgement; some USB probes need ~250 ms")
    int baudChangeDelayMs() default 0;

    @AttributeDefinition(name = "Timeout (ms)", description = "Longest wait for the meter's next byte")
    int timeoutMs() default 3000;

    @AttributeDefinition(name = "Retries", description = "Further attempts after a failed read, 0..10")
    int retries() default 2;

    @AttributeDefinition(name = "Poll interval (s)", description = "How often the meter is read")
    int pollIntervalSeconds() default 15;

    @AttributeDefinition(name = "First retry after (s)", description = "Backoff before the first retry; doubles per retry")
    int backoffInitialSeconds() default 2;

    @AttributeDefinition(name = "Longest retry wait (s)", description = "Cap for the doubling backoff")
    int backoffMaxSeconds() default 60;
}
