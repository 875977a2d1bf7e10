// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.iec62056.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterReadout;
import org.metergate.api.meter.MeterSession;
import org.openmuc.j62056.DataMessage;
import org.metergate.jrxtx.PortTraffic;
import org.openmuc.j62056.Iec21Port;

/** One open optical-port conversation, driven by j62056 (modes A, B, C with baud switch and BCC check). */
final class Iec21Session implements MeterSession {

    private final Iec21Settings settings;
    private final Clock clock;
    private final Iec21Port port;
    private final Runnable onClose;
    private volatile boolean closed;

    private Iec21Session(Iec21Settings settings, Clock clock, Iec21Port port, Runnable onClose) {
        this.settings = settings;
        this.clock = clock;
        this.port = port;
        this.onClose = onClose;
    }

    static Iec21Session open(Iec21Settings settings, Clock clock, Runnable onClose) throws MeterException {
        try {
            Iec21Port port = new Iec21Port.Builder(settings.link().toString())
                    .setDeviceAddress(settings.deviceAddress())
                    .setInitialBaudrate(settings.initialBaud())
                    .enableFixedBaudrate(settings.fixedBaud())
                    .setBaudRateChangeDelay(settings.baudChangeDelayMs())
                    .setTimeout((int) settings.timeout().toMillis())
                    .buildAndOpen();
            return new Iec21Session(settings, clock, port, onClose);
        } catch (IOException | RuntimeException e) {
            onClose.run();
            throw FailureClassifier.openFailed(settings,
                    e instanceof IOException io ? io : new IOException(e.getMessage(), e));
        }
    }

    @Override
    public MeterReadout readRegisters() throws MeterException {
        if (closed) {
            throw new MeterException(MeterException.Reason.CANCELLED, "session to " + settings.meterId() + " is closed");
        }
        DataMessage message;
        try {
            message = port.read();
        } catch (IOException e) {
            long received = port.getSerialPort() instanceof PortTraffic traffic ? traffic.bytesReceived() : 0;
            throw FailureClassifier.readFailed(settings, e, closed, received);
        }
        Instant readAt = clock.instant();
        List<ReadoutConverter.DataLine> lines = message.getDataSets().stream()
                .map(d -> new ReadoutConverter.DataLine(d.getAddress(), d.getValue(), d.getUnit()))
                .toList();
        ReadoutConverter.Converted converted = ReadoutConverter.convert(settings.meterId(), lines, readAt);
        if (converted.readings().isEmpty()) {
            throw new MeterException(MeterException.Reason.MALFORMED, "meter " + settings.meterId()
                    + " sent a readout without any data line we understand" + (converted.skipped().isEmpty() ? ""
                            : " (skipped: " + String.join(", ", converted.skipped()) + ")"));
        }
        String identification = message.getManufacturerId() + message.getMeterId();
        return new MeterReadout(settings.meterId(), identification, readAt, converted.readings());
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                port.close();
            } finally {
                onClose.run();
            }
        }
    }
}
