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

    @AttributeDefinition(name = "Clock drift threshold (s)",
            description = "DLMS meters: a meter clock further than this from the gateway clock raises one clock-drift"
                    + " alarm and marks that session's readings clock-uncertain, 1..86400")
    int clockDriftThresholdSeconds() default 30;

    @AttributeDefinition(name = "Maximum catch-up history (days)",
            description = "DLMS meters: how far back the load profile is read the first time a meter is seen, 1..366"
                    + " (later polls always continue from the last stored capture)")
    int maxCatchUpDays() default 7;

    @AttributeDefinition(name = "Catch-up chunk (hours)",
            description = "DLMS meters: load-profile hours read per request, 1..168 (24 = one day, 96 captures)")
    int catchUpChunkHours() default 24;

    @AttributeDefinition(name = "Daily values time zone",
            description = "Zone whose midnight starts a day for the daily snapshot and consumption, e.g."
                    + " Africa/Nairobi, UTC or +03:00; empty = the gateway's time zone")
    String dailyZone() default "";
}
