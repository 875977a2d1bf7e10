// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

/** What the meter received from the client, framed but not yet interpreted. */
sealed interface ClientMessage {

    /** {@code /? address ! CR LF}. */
    record SignOn(String address) implements ClientMessage {
    }

    /** {@code ACK V Z Y CR LF}. */
    record OptionSelect(char protocol, char baud, char mode) implements ClientMessage {
    }

    /** {@code SOH C D [STX data] ETX BCC}, e.g. P1, R1, W1, B0. */
    record Command(String command, String data, boolean bccValid) implements ClientMessage {
    }

    /** A lone NAK: repeat the last message. */
    record Nak() implements ClientMessage {
    }

    /** Bytes that form no valid message. */
    record Garbage(String reason) implements ClientMessage {
    }

    /** Nothing (more) arrived in time; {@code midMessage} when a message was cut off. */
    record Timeout(boolean midMessage) implements ClientMessage {
    }

    /** The client closed the connection. */
    record EndOfStream() implements ClientMessage {
    }
}
