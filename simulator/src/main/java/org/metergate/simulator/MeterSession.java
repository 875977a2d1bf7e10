// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meter side of one connection: waits for a sign-on, identifies, then runs mode A, B or C (readout,
 * programming mode, hand-over to mode E). Anything unexpected sends it back to waiting for a sign-on,
 * like a real meter. Returns when the client closes the connection.
 */
final class MeterSession {

    private enum State { IDLE, AWAIT_OPTION_SELECT, PROGRAMMING }

    private static final byte[] ACK_ONLY = { Frames.ACK };
    private static final byte[] NAK_ONLY = { Frames.NAK };

    private final SimulatedMeter meter;
    private final MeterCounters counters;
    private final InputStream in;
    private final OutputStream out;
    private final WirePacer pacer;
    private final SessionTimeouts timeouts;
    private final MessageReader reader;

    private State state = State.IDLE;
    private int baud = BaudRates.SIGN_ON_BAUD;
    private byte[] lastProgrammingAnswer;
    private boolean lastWasGarbage;

    MeterSession(SimulatedMeter meter, InputStream in, OutputStream out, WirePacer pacer, SessionTimeouts timeouts) {
        this.meter = meter;
        this.counters = meter.counters();
        this.in = in;
        this.out = out;
        this.pacer = pacer;
        this.timeouts = timeouts;
        this.reader = new MessageReader(in, timeouts.interCharacter(), pacer::nanoTime);
    }

    void run() throws IOException {
        while (true) {
            ClientMessage message = reader.next(waitLimit());
            pacer.received(reader.firstByteNanos(), reader.bytesInMessage(), baud);
            boolean garbage = false;
            if (message instanceof ClientMessage.EndOfStream) {
                return;
            } else if (message instanceof ClientMessage.Timeout) {
                if (((ClientMessage.Timeout) message).midMessage() || state != State.IDLE) {
                    counters.resets.incrementAndGet();
                }
                resetToIdle();
            } else if (message instanceof ClientMessage.SignOn) {
                signOn(((ClientMessage.SignOn) message).address());
            } else if (message instanceof ClientMessage.OptionSelect && state == State.AWAIT_OPTION_SELECT) {
                optionSelect((ClientMessage.OptionSelect) message);
            } else if (message instanceof ClientMessage.Command && state == State.PROGRAMMING) {
                command((ClientMessage.Command) message);
            } else if (message instanceof ClientMessage.Nak && state == State.PROGRAMMING) {
                if (lastProgrammingAnswer != null) {
                    answer(lastProgrammingAnswer, null);
                }
            } else {
                garbage = true;
                if (!lastWasGarbage) {
                    counters.resets.incrementAndGet();
                }
                resetToIdle();
            }
            lastWasGarbage = garbage;
        }
    }

    private Duration waitLimit() {
        switch (state) {
        case AWAIT_OPTION_SELECT:
            return timeouts.optionSelect();
        case PROGRAMMING:
            return timeouts.programmingInactivity();
        default:
            return null;
        }
    }

    private void resetToIdle() {
        state = State.IDLE;
        baud = BaudRates.SIGN_ON_BAUD;
        lastProgrammingAnswer = null;
    }

    private void signOn(String address) throws IOException {
        resetToIdle();
        if (!meter.answersTo(address)) {
            return; // addressed to another meter on the bus: stay quiet
        }
        counters.signOns.incrementAndGet();
        if (!answer(identification(), counters.sessionsServed)) {
            return;
        }
        switch (meter.protocolMode()) {
        case A:
            readout();
            break;
        case B:
            baud = meter.maxBaudRate();
            readout();
            break;
        default:
            state = State.AWAIT_OPTION_SELECT;
        }
    }

    private byte[] identification() {
        char z = BaudRates.identificationCharacter(meter.protocolMode(), meter.maxBaudCode());
        boolean modeE = meter.protocolMode() == ProtocolMode.C && meter.modeEHandler().isPresent();
        String text = "/" + meter.manufacturer() + z + (modeE ? "\\2" : "") + meter.identification() + "\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private void optionSelect(ClientMessage.OptionSelect select) throws IOException {
        state = State.IDLE;
        int code = select.baud() - '0';
        if (code < 0 || code > meter.maxBaudCode()) {
            return; // a speed the meter did not offer: no answer
        }
        if (select.protocol() == '0' && select.mode() == '0') {
            baud = BaudRates.baudOf(code);
            readout();
        } else if (select.protocol() == '0' && select.mode() == '1') {
            baud = BaudRates.baudOf(code);
            counters.programmingSessions.incrementAndGet();
            lastProgrammingAnswer = Frames.sohBlock("P0", "(" + meter.serialNumber() + ")",
                    meter.hasFault(Fault.CORRUPT_BCC));
            if (answer(lastProgrammingAnswer, null)) {
                state = State.PROGRAMMING;
            }
        } else if (select.protocol() == '2' && meter.modeEHandler().isPresent()) {
            baud = BaudRates.baudOf(code);
            modeE(meter.modeEHandler().get());
        }
        if (state == State.IDLE) {
            baud = BaudRates.SIGN_ON_BAUD;
        }
    }

    private void readout() throws IOException {
        DataBlock block = DataBlock.of(meter, meter.model().read());
        byte[] message = Frames.stxBlock(block.readoutText(), meter.hasFault(Fault.CORRUPT_BCC));
        answer(message, counters.readoutsCompleted);
        resetToIdle();
    }

    private void command(ClientMessage.Command command) throws IOException {
        if (!command.bccValid()) {
            answer(NAK_ONLY, null);
            return;
        }
        boolean corrupt = meter.hasFault(Fault.CORRUPT_BCC);
        switch (command.command()) {
        case "B0":
            resetToIdle();
            return;
        case "P1":
        case "P2":
            lastProgrammingAnswer = ACK_ONLY;
            answer(ACK_ONLY, null);
            return;
        case "R1":
        case "R2":
            int paren = command.data().indexOf('(');
            String address = paren < 0 ? command.data() : command.data().substring(0, paren);
            String value = DataBlock.of(meter, meter.model().read()).value(address);
            lastProgrammingAnswer = Frames.stxBlock("(" + (value == null ? "ERROR" : value) + ")", corrupt);
            answer(lastProgrammingAnswer, value == null ? null : counters.programmingReads);
            return;
        default:
            // writes and executes are not supported by this read-only meter
            lastProgrammingAnswer = Frames.stxBlock("(ERROR)", corrupt);
            answer(lastProgrammingAnswer, null);
        }
    }

    private void modeE(ModeEHandler handler) throws IOException {
        counters.modeESessions.incrementAndGet();
        int modeEBaud = baud;
        OutputStream paced = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                pacer.write(out, new byte[] { (byte) b }, modeEBaud);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                pacer.write(out, b, off, len, modeEBaud);
            }
        };
        handler.serve(meter, modeEBaud, new UntimedInput(in), paced);
        resetToIdle();
    }

    /**
     * Sends one answer after the reaction time, unless the meter is silent. {@code counter} (may be null)
     * is raised just before the last byte. With {@link Fault#TRUNCATED_BLOCK}, blocks stop half way and the
     * session falls back to waiting for a sign-on.
     *
     * @return whether the whole answer was sent
     */
    private boolean answer(byte[] message, AtomicLong counter) throws IOException {
        if (meter.hasFault(Fault.SILENT)) {
            resetToIdle();
            return false;
        }
        pacer.pause(meter.effectiveReactionTime());
        boolean isBlock = message.length > 1 && (message[0] == Frames.STX || message[0] == Frames.SOH);
        if (isBlock && meter.hasFault(Fault.TRUNCATED_BLOCK)) {
            pacer.write(out, message, 0, message.length / 2, baud);
            resetToIdle();
            return false;
        }
        pacer.write(out, message, 0, message.length - 1, baud);
        if (counter != null) {
            counter.incrementAndGet();
        }
        pacer.write(out, message, message.length - 1, 1, baud);
        return true;
    }

    /** Hides the short socket timeouts the session uses, so a mode E handler sees plain blocking reads. */
    private static final class UntimedInput extends InputStream {
        private final InputStream in;

        UntimedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            while (true) {
                try {
                    return in.read();
                } catch (SocketTimeoutException e) {
                    // keep waiting; closing the socket ends the read with an exception
                }
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                try {
                    return in.read(b, off, len);
                } catch (SocketTimeoutException e) {
                    // keep waiting
                }
            }
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }
}
