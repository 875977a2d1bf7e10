// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.metering.internal;

import org.metergate.api.cosem.CosemAttribute;
import org.metergate.api.cosem.CosemData;
import org.metergate.api.cosem.CosemMeter;
import org.metergate.api.cosem.CosemMethod;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.cosem.SelectiveAccess;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.PollPolicy;

/** A real meter whose line goes dead after a given number of load-profile requests, like a pulled probe. */
final class InterruptingCosemMeter implements CosemMeter {

    private final CosemMeter meter;
    private int profileReadsLeft;

    InterruptingCosemMeter(CosemMeter meter, int profileReadsBeforeCut) {
        this.meter = meter;
        this.profileReadsLeft = profileReadsBeforeCut;
    }

    @Override
    public String id() {
        return meter.id();
    }

    @Override
    public String protocol() {
        return meter.protocol();
    }

    @Override
    public LinkAddress link() {
        return meter.link();
    }

    @Override
    public PollPolicy pollPolicy() {
        return meter.pollPolicy();
    }

    @Override
    public CosemSession open() throws MeterException {
        CosemSession session = meter.open();
        return new CosemSession() {
            @Override
            public MeterReadout readRegisters() throws MeterException {
                return session.readRegisters();
            }

            @Override
            public CosemData get(CosemAttribute attribute) throws MeterException {
                return session.get(attribute);
            }

            @Override
            public CosemData get(CosemAttribute attribute, SelectiveAccess access) throws MeterException {
                if (profileReadsLeft-- <= 0) {
                    throw new MeterException(MeterException.Reason.NO_ANSWER, "line cut by the test");
                }
                return session.get(attribute, access);
            }

            @Override
            public void set(CosemAttribute attribute, CosemData value) throws MeterException {
                session.set(attribute, value);
            }

            @Override
            public CosemData action(CosemMethod method, CosemData parameter) throws MeterException {
                return session.action(method, parameter);
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }
}
