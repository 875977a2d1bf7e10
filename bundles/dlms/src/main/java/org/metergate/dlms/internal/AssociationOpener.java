// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;

import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.ObisCode;
import org.openmuc.jdlms.datatypes.DataObject;

/**
 * Opens the configured association. For HLS5-GMAC it first settles the invocation counter: the larger of what this
 * gateway stored and what the meter says it last received (read through the public client), plus one, reserved on
 * disk before the first ciphered APDU goes out.
 */
final class AssociationOpener {

    private static final long MAX_COUNTER = 0xFFFF_FFFFL;

    private final DlmsSettings settings;
    private final DlmsKeys keys;
    private final InvocationCounterStore counters;
    private final Clock clock;
    private final Consumer<String> warnings;

    AssociationOpener(DlmsSettings settings, DlmsKeys keys, InvocationCounterStore counters, Clock clock,
            Consumer<String> warnings) {
        this.settings = settings;
        this.keys = keys;
        this.counters = counters;
        this.clock = clock;
        this.warnings = warnings;
    }

    DlmsSession open(Runnable onClose) throws MeterException {
        TrafficObserver observer;
        ConnectionFactory.Association association;
        if (settings.secured()) {
            DlmsKeys.ClientKeys clientKeys = keys.keysFor(settings.meterId());
            long first = firstCounter();
            try {
                observer = TrafficObserver.reserving(counters, first);
            } catch (IOException e) {
                throw new MeterException(Reason.CONFIGURATION, "cannot persist the invocation counter of meter "
                        + settings.meterId() + " in " + counters.file() + ": " + e.getMessage()
                        + " - check the data directory (disk full, read-only?)", e);
            }
            association = new ConnectionFactory.Association(settings.clientId(), clientKeys, first, observer);
        } else {
            observer = TrafficObserver.unciphered();
            association = new ConnectionFactory.Association(settings.clientId(), null, 0, observer);
        }
        DlmsConnection connection;
        try {
            connection = ConnectionFactory.connect(settings, association);
        } catch (IOException | RuntimeException e) {
            throw FailureClassifier.openFailed(settings, e);
        }
        byte[] expected = settings.expectedSystemTitle();
        byte[] actual = observer.serverSystemTitle();
        if (expected != null && actual != null && !Arrays.equals(expected, actual)) {
            closeQuietly(connection);
            HexFormat hex = HexFormat.of().withUpperCase();
            throw new MeterException(Reason.REFUSED, "the meter on " + settings.link() + " has system title "
                    + hex.formatHex(actual) + ", but meter " + settings.meterId() + " is configured to expect "
                    + hex.formatHex(expected) + " - another meter on this link, or the configuration needs updating");
        }
        return new DlmsSession(settings, connection, observer, clock, warnings, onClose);
    }

    private long firstCounter() throws MeterException {
        long stored;
        try {
            stored = counters.load();
        } catch (IOException e) {
            throw new MeterException(Reason.CONFIGURATION, "cannot read the invocation counter of meter "
                    + settings.meterId() + ": " + e.getMessage() + " - check the data directory", e);
        }
        long fromMeter;
        try {
            fromMeter = meterInvocationCounter();
        } catch (MeterException e) {
            if (!e.reason().isTransient()) {
                throw e;
            }
            // the public association is short and cheap; one more try rides out a dropped or garbled answer
            fromMeter = meterInvocationCounter();
        }
        long first = Math.max(stored, fromMeter) + 1;
        if (first > MAX_COUNTER - TrafficObserver.WINDOW) {
            throw new MeterException(Reason.CONFIGURATION, "the invocation counter of meter " + settings.meterId()
                    + " is exhausted (" + first + "); the meter needs new keys before it can be used securely");
        }
        return first;
    }

    /** What the meter last received from our client, via the public client; -1 when it does not say. */
    private long meterInvocationCounter() throws MeterException {
        if (settings.invocationCounterObis() == null) {
            return -1;
        }
        TrafficObserver observer = TrafficObserver.unciphered();
        DlmsConnection connection;
        try {
            connection = ConnectionFactory.connect(settings,
                    new ConnectionFactory.Association(DlmsSettings.PUBLIC_CLIENT, null, 0, observer));
        } catch (IOException | RuntimeException e) {
            throw FailureClassifier.openFailed(settings, e);
        }
        org.metergate.api.meter.ObisCode o = settings.invocationCounterObis();
        String what = "GET of the invocation counter " + o + " through the public client";
        try {
            GetResult result = connection.get(new AttributeAddress(1, new ObisCode(o.a(), o.b(), o.c(), o.d(),
                    o.e(), o.f()), 2));
            if (result.getResultCode() != AccessResultCode.SUCCESS) {
                warnings.accept("meter " + settings.meterId() + " answered " + result.getResultCode() + " to " + what
                        + "; using the stored counter only");
                return -1;
            }
            DataObject data = result.getResultData();
            if (!data.isNumber()) {
                warnings.accept("meter " + settings.meterId() + " sent " + data.getType() + " for " + what
                        + "; using the stored counter only");
                return -1;
            }
            return ((Number) data.getValue()).longValue();
        } catch (IOException | RuntimeException e) {
            throw FailureClassifier.requestFailed(settings, what, e);
        } finally {
            try {
                connection.disconnect();
            } catch (IOException | RuntimeException e) {
                closeQuietly(connection);
            }
        }
    }

    private static void closeQuietly(DlmsConnection connection) {
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }
}
