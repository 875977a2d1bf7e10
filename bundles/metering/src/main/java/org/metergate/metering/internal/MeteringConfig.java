// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Metering", description = "How configured meters are polled")
public @interface MeteringConfig {

    @AttributeDefinition(name = "Worker threads",
            description = "Meters read in parallel (each meter is read by one thread at a time), 1..16")
    int workerThreads() default 2;

    @AttributeDefinition(name = "Log readings", description = "Write every readout to the log (the demo shows them)")
    boolean logReadings() default true;

    @AttributeDefinition(name = "Read-now wait (s)",
            description = "How long an on-demand read waits for a scheduled read of the same meter to finish")
    int readNowWaitSeconds() default 30;
}
