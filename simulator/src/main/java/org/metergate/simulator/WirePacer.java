// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Releases bytes at the pace a serial line would: 10 bit times per character (start, 7 data, parity,
 * stop), on a cumulative schedule from an anchor so per-byte scheduling errors never add up. Each byte
 * leaves when its last bit would have been on the wire. Not thread-safe: one per session.
 */
public final class WirePacer {

    public static final int BITS_PER_CHARACTER = 10;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final TimeSource time;
    private final boolean enabled;
    private long anchor;
    private long charactersSinceAnchor;
    private int anchorBaud;

    public WirePacer(TimeSource time, boolean enabled) {
        this.time = time;
        this.enabled = enabled;
    }

    /** The pacer's clock, so arrival times of client bytes are on the same time line as the schedule. */
    public long nanoTime() {
        return time.nanoTime();
    }

    /** Time the wire needs for {@code characters} characters at {@code baud}. */
    public static long transmissionNanos(long characters, int baud) {
        return characters * BITS_PER_CHARACTER * NANOS_PER_SECOND / baud;
    }

    /**
     * Notes a message the client sent: on a real line its last character arrives only after the wire time of
     * all its characters, and the meter's reaction time counts from then. Over TCP or a pty the bytes arrive
     * at once, so without this the client would gain the wire time of every request.
     */
    public void received(long firstByteNanos, int characters, int baud) {
        if (enabled && characters > 0) {
            restartSchedule(firstByteNanos, baud);
            charactersSinceAnchor = characters;
        }
    }

    /** Waits the given time (reaction time); the next byte starts a fresh schedule afterwards. */
    public void pause(Duration duration) throws IOException {
        long deadline = Math.max(time.nanoTime(), scheduleEnd()) + duration.toNanos();
        time.parkUntil(deadline);
        restartSchedule(deadline, anchorBaud);
    }

    public void write(OutputStream out, byte[] data, int baud) throws IOException {
        write(out, data, 0, data.length, baud);
    }

    public void write(OutputStream out, byte[] data, int offset, int length, int baud) throws IOException {
        if (!enabled) {
            out.write(data, offset, length);
            out.flush();
            return;
        }
        long now = time.nanoTime();
        if (baud != anchorBaud || scheduleEnd() < now) {
            // the line was idle (or changed speed): the next character starts now, not in the past
            restartSchedule(Math.max(now, scheduleEnd()), baud);
        }
        for (int i = offset; i < offset + length; i++) {
            charactersSinceAnchor++;
            time.parkUntil(scheduleEnd());
            out.write(data[i]);
            out.flush();
        }
    }

    private long scheduleEnd() {
        return anchorBaud == 0 ? Long.MIN_VALUE / 2 : anchor + transmissionNanos(charactersSinceAnchor, anchorBaud);
    }

    private void restartSchedule(long newAnchor, int baud) {
        anchor = newAnchor;
        anchorBaud = baud;
        charactersSinceAnchor = 0;
    }
}
