// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.openmuc.jdlms.RawMessageData;
import org.openmuc.jdlms.RawMessageData.MessageSource;
import org.openmuc.jdlms.RawMessageListener;

/**
 * Watches the APDUs of one association for what jDLMS does not expose: the invocation counter of each ciphered
 * request and the meter's system title in the association response.
 * <p>
 * jDLMS counts frames itself with no way to ask for the value, so the counter is read out of every ciphered APDU
 * the client sends; when it comes near the persisted reservation, the next window is reserved on disk first.
 * A restart then starts above anything that can have gone out.
 */
final class TrafficObserver implements RawMessageListener {

    static final long WINDOW = 64;
    private static final long MARGIN = 16;

    private final InvocationCounterStore store;
    private long reservedUpTo;
    private long highestSent = -1;
    private byte[] serverSystemTitle;

    private TrafficObserver(InvocationCounterStore store, long reservedUpTo) {
        this.store = store;
        this.reservedUpTo = reservedUpTo;
    }

    /** For unciphered associations: only watches the system title. */
    static TrafficObserver unciphered() {
        return new TrafficObserver(null, Long.MAX_VALUE);
    }

    /** Reserves counters {@code first .. first + WINDOW - 1} on disk before anything is sent. */
    static TrafficObserver reserving(InvocationCounterStore store, long first) throws IOException {
        long reserved = first + WINDOW - 1;
        store.store(reserved);
        return new TrafficObserver(store, reserved);
    }

    @Override
    public synchronized void messageCaptured(RawMessageData data) {
        RawMessageData.Apdu apdu = data.getApdu();
        if (apdu == null) {
            return;
        }
        if (data.getMessageSource() == MessageSource.SERVER) {
            if (serverSystemTitle == null && apdu.getAcsePdu() != null) {
                serverSystemTitle = respondingApTitle(apdu.getAcsePdu());
            }
            return;
        }
        if (store == null || apdu.getCosemPdu() == null) {
            return;
        }
        long counter = counterOf(apdu.getCosemPdu().getCipheredCosemPdu());
        if (counter < 0) {
            return;
        }
        highestSent = Math.max(highestSent, counter);
        if (counter + MARGIN > reservedUpTo) {
            long next = counter + WINDOW;
            try {
                store.store(next);
            } catch (IOException e) {
                // stops the session: going on without a durable reservation could reuse counters after a crash
                throw new UncheckedIOException("cannot persist the invocation counter in " + store.file() + ": "
                        + e.getMessage(), e);
            }
            reservedUpTo = next;
        }
    }

    synchronized long highestSent() {
        return highestSent;
    }

    synchronized long reservedUpTo() {
        return reservedUpTo;
    }

    /** The meter's system title from its AARE, null when it sent none. */
    synchronized byte[] serverSystemTitle() {
        return serverSystemTitle == null ? null : serverSystemTitle.clone();
    }

    /** The frame counter of a ciphered APDU (tag, A-XDR length, security control, counter), or -1. */
    static long counterOf(byte[] ciphered) {
        if (ciphered == null || ciphered.length < 7) {
            return -1;
        }
        int pos = 1;
        int first = ciphered[pos] & 0xFF;
        pos += (first & 0x80) == 0 ? 1 : 1 + (first & 0x7F);
        pos += 1; // security control byte
        if (pos + 4 > ciphered.length) {
            return -1;
        }
        return ((long) (ciphered[pos] & 0xFF) << 24) | ((ciphered[pos + 1] & 0xFF) << 16)
                | ((ciphered[pos + 2] & 0xFF) << 8) | (ciphered[pos + 3] & 0xFF);
    }

    /** responding-AP-title [4] holding an 8-byte octet string, found in the encoded AARE; null when absent. */
    static byte[] respondingApTitle(byte[] aare) {
        if (aare.length < 2 || (aare[0] & 0xFF) != 0x61) {
            return null;
        }
        for (int i = 2; i + 12 <= aare.length; i++) {
            if ((aare[i] & 0xFF) == 0xA4 && aare[i + 1] == 0x0A && aare[i + 2] == 0x04 && aare[i + 3] == 0x08) {
                byte[] title = new byte[8];
                System.arraycopy(aare, i + 4, title, 0, 8);
                return title;
            }
        }
        return null;
    }
}
