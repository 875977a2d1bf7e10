// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Frames client messages from a stream whose reads time out briefly (socket SO_TIMEOUT), so waiting
 * limits are enforced here: the inter-character timeout inside a message and a caller-given limit for
 * the start of the next one.
 */
final class MessageReader {

    static final Duration INTER_CHARACTER_TIMEOUT = Duration.ofMillis(1500);
    private static final int MAX_MESSAGE_LENGTH = 256;
    private static final int TIMED_OUT = -2;

    private final InputStream in;
    private final long interCharacterNanos;
    private long firstByteNanos;
    private int bytesInMessage;

    private final LongSupplier clock;

    MessageReader(InputStream in, Duration interCharacterTimeout) {
        this(in, interCharacterTimeout, System::nanoTime);
    }

    MessageReader(InputStream in, Duration interCharacterTimeout, LongSupplier clock) {
        this.in = in;
        this.clock = clock;
        this.interCharacterNanos = interCharacterTimeout.toNanos();
    }

    /** The next message; {@code waitLimit} null = wait for ever for its first byte. */
    ClientMessage next(Duration waitLimit) throws IOException {
        bytesInMessage = 0;
        int first = readByte(waitLimit == null ? Long.MAX_VALUE : waitLimit.toNanos());
        firstByteNanos = clock.getAsLong();
        if (first == TIMED_OUT) {
            return new ClientMessage.Timeout(false);
        }
        if (first < 0) {
            return new ClientMessage.EndOfStream();
        }
        switch (first) {
        case '/':
            return signOn();
        case Frames.ACK:
            return optionSelect();
        case Frames.SOH:
            return command();
        case Frames.NAK:
            return new ClientMessage.Nak();
        default:
            return new ClientMessage.Garbage(String.format("unexpected byte 0x%02X", first));
        }
    }

    private ClientMessage signOn() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.write('/');
        int b;
        do {
            b = readByte(interCharacterNanos);
            if (b < 0) {
                return cutOff(b);
            }
            text.write(b);
        } while (b != '\n' && text.size() < MAX_MESSAGE_LENGTH);
        String s = text.toString(StandardCharsets.US_ASCII);
        if (s.length() >= 5 && s.startsWith("/?") && s.endsWith("!\r\n")) {
            String address = s.substring(2, s.length() - 3);
            if (address.chars().allMatch(c -> c >= 0x20 && c < 0x7F && c != '!' && c != '/')) {
                return new ClientMessage.SignOn(address);
            }
        }
        return new ClientMessage.Garbage("malformed sign-on");
    }

    private ClientMessage optionSelect() throws IOException {
        int[] bytes = new int[5];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = readByte(interCharacterNanos);
            if (bytes[i] < 0) {
                return cutOff(bytes[i]);
            }
        }
        if (bytes[3] != '\r' || bytes[4] != '\n') {
            return new ClientMessage.Garbage("option select not ended by CR LF");
        }
        return new ClientMessage.OptionSelect((char) bytes[0], (char) bytes[1], (char) bytes[2]);
    }

    private ClientMessage command() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int b;
        do {
            b = readByte(interCharacterNanos);
            if (b < 0) {
                return cutOff(b);
            }
            body.write(b);
            if (body.size() > MAX_MESSAGE_LENGTH) {
                return new ClientMessage.Garbage("command longer than " + MAX_MESSAGE_LENGTH + " bytes");
            }
        } while (b != Frames.ETX);
        int bcc = readByte(interCharacterNanos);
        if (bcc < 0) {
            return cutOff(bcc);
        }
        byte[] bytes = body.toByteArray();
        boolean bccValid = Frames.bcc(bytes, 0, bytes.length) == (byte) bcc;
        if (bytes.length < 3) {
            return new ClientMessage.Garbage("command without command and type characters");
        }
        String command = new String(bytes, 0, 2, StandardCharsets.US_ASCII);
        String data = "";
        if (bytes[2] == Frames.STX) {
            data = new String(bytes, 3, bytes.length - 4, StandardCharsets.US_ASCII);
        } else if (bytes.length != 3) {
            return new ClientMessage.Garbage("command data not introduced by STX");
        }
        return new ClientMessage.Command(command, data, bccValid);
    }

    /** When the first byte of the last message arrived, on the reader's clock. */
    long firstByteNanos() {
        return firstByteNanos;
    }

    /** Bytes the last message had on the wire. */
    int bytesInMessage() {
        return bytesInMessage;
    }

    private static ClientMessage cutOff(int result) {
        return result == TIMED_OUT ? new ClientMessage.Timeout(true) : new ClientMessage.EndOfStream();
    }

    /** A byte, -1 at end of stream, or TIMED_OUT when none arrived within {@code limitNanos}. */
    private int readByte(long limitNanos) throws IOException {
        long start = System.nanoTime();
        while (true) {
            try {
                int b = in.read();
                if (b >= 0) {
                    bytesInMessage++;
                }
                return b;
            } catch (SocketTimeoutException e) {
                if (System.nanoTime() - start >= limitNanos) {
                    return TIMED_OUT;
                }
            }
        }
    }
}
