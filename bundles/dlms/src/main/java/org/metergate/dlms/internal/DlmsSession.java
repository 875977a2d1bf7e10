// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

import org.metergate.api.cosem.AccessResult;
import org.metergate.api.cosem.CosemAttribute;
import org.metergate.api.cosem.CosemData;
import org.metergate.api.cosem.CosemMethod;
import org.metergate.api.cosem.CosemSession;
import org.metergate.api.cosem.SelectiveAccess;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;
import org.metergate.api.meter.MeterReadout;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.MethodParameter;
import org.openmuc.jdlms.MethodResult;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.SetParameter;

/**
 * One open association. A meter's error result for one request leaves the association usable; a link, timeout or
 * security failure closes it, because jDLMS's state (invoke ids, block transfers) cannot be trusted afterwards.
 */
final class DlmsSession implements CosemSession {

    private final DlmsSettings settings;
    private final DlmsConnection connection;
    private final TrafficObserver observer;
    private final RegisterReader registers;
    private final Runnable onClose;
    private volatile boolean closed;
    private String closedBecause;

    DlmsSession(DlmsSettings settings, DlmsConnection connection, TrafficObserver observer, Clock clock,
            Consumer<String> warnings, Runnable onClose) {
        this.settings = settings;
        this.connection = connection;
        this.observer = observer;
        this.onClose = onClose;
        this.registers = new RegisterReader(settings, clock, warnings);
    }

    @Override
    public MeterReadout readRegisters() throws MeterException {
        byte[] title = observer.serverSystemTitle();
        String identification = title == null ? "" : HexFormat.of().withUpperCase().formatHex(title);
        return registers.read(this, identification);
    }

    @Override
    public CosemData get(CosemAttribute attribute) throws MeterException {
        return get(attribute, null);
    }

    @Override
    public CosemData get(CosemAttribute attribute, SelectiveAccess access) throws MeterException {
        String what = "GET " + attribute + (access == null ? "" : " with " + access);
        GetResult result = getAll(List.of(address(attribute, access)), what).get(0);
        return dataOf(result, what);
    }

    /** One GET.request-with-list (jDLMS splits it when it does not fit one PDU). */
    List<GetResult> getAll(List<AttributeAddress> addresses, String what) throws MeterException {
        checkOpen();
        try {
            List<GetResult> results = connection.get(addresses);
            if (results.size() != addresses.size()) {
                throw new IOException("asked for " + addresses.size() + " values, got " + results.size());
            }
            return results;
        } catch (IOException | RuntimeException e) {
            throw fail(what, e);
        }
    }

    CosemData dataOf(GetResult result, String what) throws MeterException {
        if (result.getResultCode() != AccessResultCode.SUCCESS) {
            throw FailureClassifier.accessFailed(settings, what, AccessResult.ofCode((int) result.getResultCode().getCode()));
        }
        try {
            return DataConverter.fromDlms(result.getResultData());
        } catch (IllegalArgumentException e) {
            throw new MeterException(Reason.MALFORMED, "meter " + settings.meterId() + " answered " + what + " with "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void set(CosemAttribute attribute, CosemData value) throws MeterException {
        String what = "SET " + attribute;
        checkOpen();
        AccessResultCode code;
        try {
            code = connection.set(new SetParameter(address(attribute, null), DataConverter.toDlms(value)));
        } catch (IOException | RuntimeException e) {
            throw fail(what, e);
        }
        if (code != AccessResultCode.SUCCESS) {
            throw FailureClassifier.accessFailed(settings, what, AccessResult.ofCode((int) code.getCode()));
        }
    }

    @Override
    public CosemData action(CosemMethod method, CosemData parameter) throws MeterException {
        String what = "ACTION " + method;
        checkOpen();
        MethodResult result;
        try {
            result = connection.action(new MethodParameter(method.classId(), obis(method.obis()), method.methodId(),
                    DataConverter.toDlms(parameter == null ? CosemData.noParameter() : parameter)));
        } catch (IOException | RuntimeException e) {
            throw fail(what, e);
        }
        if (result.getResultCode().getCode() != 0) {
            throw FailureClassifier.accessFailed(settings, what, AccessResult.ofCode((int) result.getResultCode().getCode()));
        }
        try {
            return DataConverter.fromDlms(result.getResultData());
        } catch (IllegalArgumentException e) {
            throw new MeterException(Reason.MALFORMED, "meter " + settings.meterId() + " answered " + what + " with "
                    + e.getMessage(), e);
        }
    }

    static AttributeAddress address(CosemAttribute a, SelectiveAccess access) {
        return new AttributeAddress(a.classId(), obis(a.obis()), a.attributeId(),
                access == null ? null : SelectiveAccessEncoder.encode(access));
    }

    private static ObisCode obis(org.metergate.api.meter.ObisCode o) {
        return new ObisCode(o.a(), o.b(), o.c(), o.d(), o.e(), o.f());
    }

    private void checkOpen() throws MeterException {
        if (closed) {
            throw new MeterException(Reason.CANCELLED, "the session with meter " + settings.meterId() + " is closed"
                    + (closedBecause == null ? "" : " after an earlier failure: " + closedBecause));
        }
    }

    private MeterException fail(String what, Throwable e) {
        MeterException failure = FailureClassifier.requestFailed(settings, what, e);
        closedBecause = failure.getMessage();
        close();
        return failure;
    }

    /** Highest invocation counter sent in this session, -1 when none (tests and diagnostics). */
    long highestInvocationCounter() {
        return observer.highestSent();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (closedBecause == null) {
                connection.disconnect(); // release request (bounded by the response timeout), then closes
            } else {
                connection.close();
            }
        } catch (IOException | RuntimeException e) {
            // the transport is gone either way
        } finally {
            onClose.run();
        }
    }

}
