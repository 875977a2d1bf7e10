// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openmuc.jdlms.RawMessageData;
import org.openmuc.jdlms.RawMessageData.MessageSource;

class InvocationCounterTest {

    @TempDir
    Path dir;

    @Test
    void storeStartsAtZeroAndKeepsWhatWasStored() throws Exception {
        InvocationCounterStore store = new InvocationCounterStore(dir.resolve("counters"), "m1", 1);
        assertThat(store.load()).isZero();
        store.store(4_000_000_000L);
        assertThat(new InvocationCounterStore(dir.resolve("counters"), "m1", 1).load()).isEqualTo(4_000_000_000L);
        assertThat(new InvocationCounterStore(dir.resolve("counters"), "m1", 16).load()).isZero();
        assertThat(Files.list(dir.resolve("counters"))).extracting(p -> p.getFileName().toString())
                .containsExactly("m1-client1.counter");
    }

    @Test
    void aDamagedFileIsNotGuessedAround() throws Exception {
        InvocationCounterStore store = new InvocationCounterStore(dir, "m1", 1);
        Files.writeString(store.file(), "12x");
        assertThatThrownBy(store::load).isInstanceOf(IOException.class)
                .hasMessageContaining("damaged").hasMessageContaining(store.file().toString());
    }

    @Test
    void reservesAWindowBeforeSendingAndExtendsItAheadOfTheCounter() throws Exception {
        InvocationCounterStore store = new InvocationCounterStore(dir, "m1", 1);
        TrafficObserver observer = TrafficObserver.reserving(store, 100);
        assertThat(store.load()).isEqualTo(100 + TrafficObserver.WINDOW - 1);
        for (long fc = 100; fc < 400; fc++) {
            observer.messageCaptured(clientApdu(fc));
            assertThat(store.load()).as("persisted reservation covers counter %d", fc).isGreaterThanOrEqualTo(fc);
        }
        assertThat(observer.highestSent()).isEqualTo(399);
        assertThat(observer.reservedUpTo()).isEqualTo(store.load());
    }

    @Test
    void aReservationThatCannotBePersistedStopsTheSession() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "");
        InvocationCounterStore good = new InvocationCounterStore(dir, "m1", 1);
        TrafficObserver observer = TrafficObserver.reserving(good, 1);
        Files.delete(good.file());
        Files.createDirectory(good.file()); // the next atomic move over it fails
        assertThatThrownBy(() -> observer.messageCaptured(clientApdu(TrafficObserver.WINDOW)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("invocation counter");
        assertThatThrownBy(() -> TrafficObserver.reserving(new InvocationCounterStore(blocker, "m1", 1), 1))
                .isInstanceOf(IOException.class);
    }

    @Test
    void readsTheCounterOfShortAndLongCipheredApdus() {
        assertThat(TrafficObserver.counterOf(new byte[] {(byte) 0xC8, 0x10, 0x30, 0x00, 0x00, 0x01, 0x02, 9, 9}))
                .isEqualTo(0x102);
        byte[] longForm = new byte[300];
        longForm[0] = (byte) 0xCB;
        longForm[1] = (byte) 0x82;
        longForm[2] = 0x01;
        longForm[3] = 0x20;
        longForm[4] = 0x30;
        longForm[5] = (byte) 0xFF;
        longForm[6] = (byte) 0xFF;
        longForm[7] = (byte) 0xFF;
        longForm[8] = (byte) 0xFE;
        assertThat(TrafficObserver.counterOf(longForm)).isEqualTo(0xFFFF_FFFEL);
        assertThat(TrafficObserver.counterOf(new byte[] {1, 2})).isEqualTo(-1);
        assertThat(TrafficObserver.counterOf(null)).isEqualTo(-1);
    }

    @Test
    void findsTheRespondingApTitleInAnAare() {
        byte[] aare = {0x61, 0x20, (byte) 0xA1, 0x09, 0x06, 0x07, 0x60, (byte) 0x85, 0x74, 0x05, 0x08, 0x01, 0x03,
            (byte) 0xA4, 0x0A, 0x04, 0x08, 0x4D, 0x47, 0x53, 0x00, 0x00, (byte) 0x98, (byte) 0x96, (byte) 0x81};
        assertThat(TrafficObserver.respondingApTitle(aare))
                .containsExactly(0x4D, 0x47, 0x53, 0x00, 0x00, 0x98, 0x96, 0x81);
        assertThat(TrafficObserver.respondingApTitle(new byte[] {0x60, 0x00})).isNull();
    }

    private static RawMessageData clientApdu(long fc) {
        byte[] ciphered = {(byte) 0xC8, 0x10, 0x30, (byte) (fc >> 24), (byte) (fc >> 16), (byte) (fc >> 8), (byte) fc,
            1, 2, 3};
        return RawMessageData.builder().setMessageSource(MessageSource.CLIENT).setMessage(ciphered)
                .setApdu(new RawMessageData.Apdu(new RawMessageData.CosemPdu(ciphered, new byte[] {1}), null)).build();
    }
}
