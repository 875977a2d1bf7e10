// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.metergate.api.link.LinkAddress;
import org.metergate.api.meter.Meter;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterSession;
import org.metergate.api.meter.ObisCode;
import org.metergate.api.meter.PollPolicy;
import org.metergate.api.meter.Reading;
import org.metergate.api.meter.ReadingStatus;

/** A meter whose answers are scripted: each open() consumes the next outcome. */
final class ScriptedMeter implements Meter {

    private final String id;
    private final PollPolicy policy;
    private final Deque<Object> script = new ArrayDeque<>();
    int sessionsOpened;
    int sessionsClosed;
    private int value = 1000;

    ScriptedMeter(String id, PollPolicy policy) {
        this.id = id;
        this.policy = policy;
    }

    static PollPolicy policy(int retries) {
        return new PollPolicy(Duration.ofSeconds(15), retries, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    ScriptedMeter answers(int times) {
        for (int i = 0; i < times; i++) {
            script.add("ok");
        }
        return this;
    }

    ScriptedMeter fails(MeterException.Reason reason, int times) {
        for (int i = 0; i < times; i++) {
            script.add(reason);
        }
        return this;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String protocol() {
        return "scripted";
    }

    @Override
    public LinkAddress link() {
        return LinkAddress.tcp("127.0.0.1", 1);
    }

    @Override
    public PollPolicy pollPolicy() {
        return policy;
    }

    @Override
    public MeterSession open() throws MeterException {
        Object next = script.poll();
        if (next == null) {
            throw new IllegalStateException("script of " + id + " is exhausted");
        }
        if (next instanceof MeterException.Reason reason && reason == MeterException.Reason.LINK_UNAVAILABLE) {
            throw new MeterException(reason, "port gone");
        }
        sessionsOpened++;
        return new MeterSession() {
            @Override
            public MeterReadout readRegisters() throws MeterException {
                if (next instanceof MeterException.Reason reason) {
                    throw new MeterException(reason, "scripted " + reason);
                }
                value += 5;
                Instant now = Instant.now();
                return new MeterReadout(id, "SIM1", now, List.of(Reading.numeric(id, ObisCode.parse("1.8.0"),
                        BigDecimal.valueOf(value), 0, "kWh", now, ReadingStatus.OK)));
            }

            @Override
            public void close() {
                sessionsClosed++;
            }
        };
    }
}
