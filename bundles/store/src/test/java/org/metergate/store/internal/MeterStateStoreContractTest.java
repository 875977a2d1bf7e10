// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metergate.api.outbox.MessageKind;
import org.metergate.api.outbox.Outbox;
import org.metergate.api.outbox.OutboxException;
import org.metergate.api.outbox.OutboxMessage;
import org.metergate.api.outbox.Retention;
import org.metergate.api.state.MeterStateStore;
import org.metergate.api.state.PendingMessage;

/**
 * The meter-state contract: messages and state commit together or not at all. Every implementation extends this
 * class and only says how to create an instance (it must also be the {@link Outbox}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class MeterStateStoreContractTest {

    private final List<AutoCloseable> opened = new ArrayList<>();

    /** A new, empty store with these limits; it implements both Outbox and MeterStateStore. */
    protected abstract Outbox create(OutboxLimits limits) throws Exception;

    private Outbox open(OutboxLimits limits) throws Exception {
        Outbox outbox = create(limits);
        if (outbox instanceof AutoCloseable c) {
            opened.add(c);
        }
        return outbox;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private static PendingMessage billing(String payload) {
        return new PendingMessage(MessageKind.READING, Retention.BILLING, payload);
    }

    @Test
    void anUnknownMeterHasNoState() throws Exception {
        MeterStateStore store = (MeterStateStore) open(OutboxLimits.defaults());

        assertThat(store.state("m1")).isEmpty();
    }

    @Test
    void messagesAndStateAreStoredTogetherInOrder() throws Exception {
        Outbox outbox = open(OutboxLimits.defaults());
        MeterStateStore store = (MeterStateStore) outbox;

        List<OutboxMessage> stored = store.appendWithState("m1", List.of(billing("[1]"), billing("[2]")),
                Map.of("profile.cursor", "2026-03-01T00:15:00Z", "other", "x"));
        store.appendWithState("m2", List.of(billing("[3]")), Map.of("profile.cursor", "2026-01-01T00:00:00Z"));

        assertThat(stored).extracting(OutboxMessage::payload).containsExactly("[1]", "[2]");
        assertThat(stored).allSatisfy(m -> {
            assertThat(m.meterId()).isEqualTo("m1");
            assertThat(m.retention()).isEqualTo(Retention.BILLING);
        });
        assertThat(outbox.oldest(EnumSet.allOf(MessageKind.class), 10)).extracting(OutboxMessage::payload)
                .containsExactly("[1]", "[2]", "[3]");
        assertThat(store.state("m1")).containsExactlyInAnyOrderEntriesOf(
                Map.of("profile.cursor", "2026-03-01T00:15:00Z", "other", "x"));
        assertThat(store.state("m2")).containsExactly(Map.entry("profile.cursor", "2026-01-01T00:00:00Z"));
    }

    @Test
    void aLaterValueReplacesTheEarlierOneAndStateAloneCanChange() throws Exception {
        MeterStateStore store = (MeterStateStore) open(OutboxLimits.defaults());

        store.appendWithState("m1", List.of(billing("[1]")), Map.of("k", "1", "keep", "a"));
        assertThat(store.appendWithState("m1", List.of(), Map.of("k", "2"))).isEmpty();

        assertThat(store.state("m1")).containsExactlyInAnyOrderEntriesOf(Map.of("k", "2", "keep", "a"));
    }

    @Test
    void whenOneMessageIsRefusedNothingIsStoredAndTheStateIsUnchanged() throws Exception {
        Outbox outbox = open(new OutboxLimits(5, 1024 * 1024));
        MeterStateStore store = (MeterStateStore) outbox;
        store.appendWithState("m1", List.of(billing("[0]")), Map.of("cursor", "before"));
        outbox.append(MessageKind.EVENT, null, Retention.ALARM, "{}");
        outbox.append(MessageKind.EVENT, null, Retention.ALARM, "{}");

        List<PendingMessage> tooMany = List.of(billing("[1]"), billing("[2]"), billing("[3]"), billing("[4]"));
        assertThatThrownBy(() -> store.appendWithState("m1", tooMany, Map.of("cursor", "after")))
                .isInstanceOfSatisfying(OutboxException.class,
                        e -> assertThat(e.reason()).isEqualTo(OutboxException.Reason.FULL_OF_UNDROPPABLE));

        assertThat(outbox.oldest(EnumSet.allOf(MessageKind.class), 10)).hasSize(3);
        assertThat(outbox.stats().messages()).isEqualTo(3);
        assertThat(store.state("m1")).containsExactly(Map.entry("cursor", "before"));
        // the store still works afterwards
        store.appendWithState("m1", List.of(billing("[1]")), Map.of("cursor", "after"));
        assertThat(store.state("m1")).containsExactly(Map.entry("cursor", "after"));
        assertThat(outbox.stats().messages()).isEqualTo(4);
    }

    @Test
    void badKeysAndValuesAreRefusedBeforeAnythingIsStored() throws Exception {
        Outbox outbox = open(OutboxLimits.defaults());
        MeterStateStore store = (MeterStateStore) outbox;
        String longKey = "k".repeat(MeterStateStore.MAX_KEY_LENGTH + 1);

        assertThatThrownBy(() -> store.appendWithState("m1", List.of(billing("[1]")), Map.of(longKey, "v")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> store.appendWithState("m1", List.of(billing("[1]")),
                Map.of("k", "v".repeat(MeterStateStore.MAX_VALUE_LENGTH + 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value of 'k'");

        assertThat(outbox.oldest(EnumSet.allOf(MessageKind.class), 10)).isEmpty();
        assertThat(store.state("m1")).isEmpty();
    }
}
